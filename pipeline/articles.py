"""Find the article files under a folder (plain text and saved web pages), read and decode them, and give each
its reference date.

A folder is a local path or an fsspec URL (``s3://bucket/news``, ``gs://...``, ``file://...``): a URL is
listed and read through fsspec (imported only then), with the same rules as a local folder."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from pipeline import webpages

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Article:
    """One input file, decoded; ``status`` is ok, empty or error (with ``error`` saying why)."""

    article_id: str
    path: str
    sha256: str | None = None
    text: str = ""
    encoding: str | None = None
    status: str = "ok"
    error: str | None = None
    format: str = "txt"  # txt, or html for a saved web page
    published: date | None = None  # a web page's publication date, from its metadata

    @property
    def title(self) -> str | None:
        return next((line.strip()[:300] for line in self.text.splitlines() if line.strip()), None)


FORMATS = {".txt": "txt", ".html": "html", ".htm": "html"}  # article files, whatever the case ("NOTES.TXT")
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)  # longest first: a UTF-32 LE mark starts like a UTF-16 one


class Unreadable(Exception):
    """A file that cannot be read as an article; the message says why."""


def article_format(name: str) -> str | None:
    """``txt`` or ``html`` for an article file's name, else None."""
    return next((kind for suffix, kind in FORMATS.items() if name.lower().endswith(suffix)), None)


def is_article(name: str) -> bool:
    return article_format(name) is not None


def discover(folder: Path, skip: tuple[Path, ...] = ()) -> list[tuple[Path, str | None]]:
    """Every article file under ``folder`` in a stable order, as (path, problem): ``problem`` says why a path
    cannot be an article (a folder that cannot be listed, a folder named like an article), else None.
    Folder links are not followed (no loops); folders in ``skip`` (the output) are not entered."""
    found: list[tuple[Path, str | None]] = []

    def unlisted(err: OSError) -> None:
        found.append(
            (Path(err.filename), f"cannot list folder: {err.strerror or err}; its files were not read")
        )

    skipped = {os.path.realpath(p) for p in skip}
    for root, dirs, files in os.walk(folder, onerror=unlisted, followlinks=False):
        dirs[:] = sorted(d for d in dirs if os.path.realpath(os.path.join(root, d)) not in skipped)
        found += [
            (Path(root) / d, "not a regular file (a folder named like an article)")
            for d in dirs
            if is_article(d)
        ]
        found += [(Path(root) / f, None) for f in files if is_article(f)]
    return sorted(found, key=lambda item: item[0].relative_to(folder).as_posix())


def is_url(location: str | Path) -> bool:
    """An fsspec URL (``s3://...``, ``memory://...``), not a local path."""
    return isinstance(location, str) and re.match(r"[a-zA-Z][a-zA-Z0-9+.-]+://", location) is not None


def discover_url(url: str, skip: tuple[str, ...] = ()) -> list[tuple[str, str | None, int | None]]:
    """``discover`` for a URL: every article under it in a stable order, as (URL, problem, size in bytes),
    with a row for a folder named like an article; URLs in ``skip`` (the output) are not searched.
    A folder that cannot be listed is one row saying why."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    root, base = root.rstrip("/"), url.rstrip("/")
    skipped = tuple(fsspec.core.url_to_fs(str(s))[1].rstrip("/") + "/" for s in skip)
    try:
        listed = fs.find(root, withdirs=True, detail=True)
    except Exception as err:  # noqa: BLE001  (any file system's error: permission, network, no such bucket)
        return [(base, f"cannot list folder: {err}; its files were not read", None)]
    found = []
    for path, info in listed.items():
        relative = path[len(root) + 1 :]
        if not path.startswith(root + "/") or not is_article(relative) or (path + "/").startswith(skipped):
            continue
        problem = (
            None if info.get("type") == "file" else "not a regular file (a folder named like an article)"
        )
        found.append((f"{base}/{relative}", problem, info.get("size")))
    return sorted(found, key=lambda item: item[0])


def files(folder: Path) -> list[Path]:
    """The article files under ``folder`` that the walk found, without its problems."""
    return [path for path, problem in discover(folder) if problem is None]


def printable(path: str) -> str:
    """A path as text that can be written anywhere: bytes that are not UTF-8 become ``\\xNN`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _relative(path: Path | str, folder: Path | str) -> PurePosixPath | Path:
    """The path below the folder; for a URL too."""
    if is_url(folder):
        return PurePosixPath(str(path)[len(str(folder).rstrip("/")) + 1 :])
    return Path(path).relative_to(folder)


def article_id(path: Path | str, folder: Path | str) -> str:
    """The path below the folder without the article suffix (``sub/nested``)."""
    relative = _relative(path, folder)
    if is_article(relative.name):
        relative = relative.with_suffix("")
    return printable(relative.as_posix())


def article_ids(paths: list[Path] | list[str], folder: Path | str) -> list[str]:
    """Each path's article id; files that would share one ("deal.txt" and "deal.html") keep their suffix, so
    that an id names one file."""
    plain = [article_id(path, folder) for path in paths]
    shared = {aid for aid, n in Counter(plain).items() if n > 1}
    return [
        printable(_relative(path, folder).as_posix()) if aid in shared else aid
        for path, aid in zip(paths, plain)
    ]


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes, checked on the open file itself (a pipe is never waited on, a device never
    read); raises ``Unreadable`` with the reason."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as err:
        raise Unreadable(f"cannot read file: {err.strerror or err}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a pipe, device or folder named like an article)")
        if info.st_size > MAX_BYTES:
            raise Unreadable(f"file is larger than {MAX_BYTES // 2**20} MiB")
        try:
            return handle.read(MAX_BYTES + 1)
        except OSError as err:
            raise Unreadable(f"cannot read file: {err.strerror or err}") from None


def read_url_bytes(url: str) -> bytes:
    """A file's bytes through fsspec, read no further than the size limit; raises ``Unreadable``."""
    import fsspec

    try:
        fs, path = fsspec.core.url_to_fs(url)
        data = fs.cat_file(path, start=0, end=MAX_BYTES + 1)
    except Exception as err:  # noqa: BLE001  (any file system's error: permission, network, a missing key)
        raise Unreadable(f"cannot read file: {err}") from None
    if len(data) > MAX_BYTES:
        raise Unreadable(f"file is larger than {MAX_BYTES // 2**20} MiB")
    return data


def source_bytes(location: str | Path) -> bytes:
    """A local file's or a URL's bytes; raises ``Unreadable``."""
    return read_url_bytes(location) if is_url(location) else read_bytes(Path(location))


def read_article(
    path: Path | str,
    folder: Path | str,
    problem: str | None = None,
    identity: str | None = None,
    data: bytes | None = None,
) -> Article:
    """Read one file (a local path or a URL, or its ``data`` when given) and take its text: a web page's with
    ``webpages.read_page``, a text file's decoded (a UTF-16/32 byte-order mark, else UTF-8 with its BOM
    dropped, then cp1252, then Latin-1); never raises. ``problem`` (from ``discover``) makes it an error row
    without reading; ``identity`` is its article id when ``article_ids`` gave it one of its own."""
    article = Article(
        identity or article_id(path, folder), printable(str(path)), format=article_format(str(path)) or "txt"
    )
    if problem:
        return _failed(article, problem)
    why_empty = "no text (empty or only white space)"
    try:
        data = source_bytes(path) if data is None else data
        article.sha256 = hashlib.sha256(data).hexdigest()
        if article.format == "html":
            page = webpages.read_page(data)
            article.text, article.encoding, article.published = page.text, page.encoding, page.published
            why_empty = page.no_text or why_empty
        else:
            article.text, article.encoding = decode_text(data)
    except (Unreadable, webpages.BadPage) as err:
        return _failed(article, str(err))
    if not article.text.strip():
        article.status, article.error = "empty", why_empty
    return article


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes; raises ``Unreadable`` with the reason."""
    encodings = [codec for mark, codec in BOMS if data.startswith(mark)][:1] or ENCODINGS
    if b"\x00" in data and encodings == ENCODINGS:
        raise Unreadable("binary file (contains NUL bytes), not text")
    for encoding in encodings:
        try:
            return data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else encoding
        except UnicodeDecodeError:
            continue
    raise Unreadable(f"cannot decode the file as {encodings[0]} (its byte-order mark says so)")


def _failed(article: Article, why: str) -> Article:
    article.status, article.error = "error", why
    return article


def manifest_in(folder: Path | str) -> Path | str | None:
    """The folder's own ``manifest.csv``, if it has one."""
    if not is_url(folder):
        return Path(folder) / "manifest.csv" if (Path(folder) / "manifest.csv").exists() else None
    import fsspec

    location = f"{str(folder).rstrip('/')}/manifest.csv"
    fs, path = fsspec.core.url_to_fs(location)
    return location if fs.isfile(path) else None


def read_manifest(path: Path | str) -> dict[str, date]:
    """{article_id: publication date} from a CSV with columns ``article,published`` (a file or a URL)."""
    if is_url(path):
        try:
            text = read_url_bytes(path).decode("utf-8-sig")
        except (Unreadable, UnicodeDecodeError) as err:
            raise ValueError(f"{path}: {err}") from None
    else:
        text = Path(path).read_text(encoding="utf-8-sig")
    dates = {}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or not {"article", "published"} <= set(reader.fieldnames):
        raise ValueError(f"{path}: a manifest needs the columns article,published")
    for number, row in enumerate(reader, 2):
        if not (row["published"] or "").strip():
            continue
        try:
            dates[Path(row["article"].strip()).with_suffix("").as_posix()] = date.fromisoformat(
                row["published"].strip()[:10]
            )
        except ValueError:
            raise ValueError(f"{path}:{number}: published {row['published']!r} is not an ISO date") from None
    return dates
