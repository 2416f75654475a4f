"""Find the article files under a folder, read and decode them, and give each its reference date."""
from __future__ import annotations

import csv
import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

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

    @property
    def title(self) -> str | None:
        return next((line.strip()[:300] for line in self.text.splitlines() if line.strip()), None)


def discover(folder: Path) -> list[Path]:
    """Every ``*.txt`` file under ``folder``, in a stable order; folder links are not followed (no loops)."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        found += [Path(root) / f for f in files if f.endswith(".txt")]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def article_id(path: Path, folder: Path) -> str:
    return path.relative_to(folder).with_suffix("").as_posix()


def read_article(path: Path, folder: Path) -> Article:
    """Read and decode one file: UTF-8 (a BOM is dropped), then cp1252, then Latin-1; never raises."""
    article = Article(article_id(path, folder), str(path))
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return _failed(article, "not a regular file (a pipe, device or folder named .txt)")
        if info.st_size > MAX_BYTES:
            return _failed(article, f"file is larger than {MAX_BYTES // 2**20} MiB")
        data = path.read_bytes()
    except OSError as err:
        return _failed(article, f"cannot read file: {err.strerror or err}")
    article.sha256 = hashlib.sha256(data).hexdigest()
    if b"\x00" in data:
        return _failed(article, "binary file (contains NUL bytes), not text")
    for encoding in ENCODINGS:
        try:
            article.text = data.decode(encoding)
            article.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
            break
        except UnicodeDecodeError:
            continue
    if not article.text.strip():
        article.status, article.error = "empty", "no text (empty or only white space)"
    return article


def _failed(article: Article, why: str) -> Article:
    article.status, article.error = "error", why
    return article


def read_manifest(path: Path) -> dict[str, date]:
    """{article_id: publication date} from a CSV with columns ``article,published``."""
    dates = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or not {"article", "published"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: a manifest needs the columns article,published")
        for number, row in enumerate(reader, 2):
            if not (row["published"] or "").strip():
                continue
            try:
                dates[Path(row["article"].strip()).with_suffix("").as_posix()] = date.fromisoformat(
                    row["published"].strip()[:10])
            except ValueError:
                raise ValueError(f"{path}:{number}: published {row['published']!r} is not an ISO date") from None
    return dates
