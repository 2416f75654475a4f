"""Reading and decoding input files: every file gets one article, whatever its bytes."""

import pytest

from pipeline.articles import article_id, article_ids, discover, read_article, read_manifest

CASES = [
    # name, bytes, status, encoding, text
    ("utf8", "BT wins £400m".encode("utf-8"), "ok", "utf-8", "BT wins £400m"),
    ("bom_crlf", b"\xef\xbb\xbfBT\r\nwins \xc2\xa3400m\r\n", "ok", "utf-8", "BT\r\nwins £400m\r\n"),
    ("cp1252", b"Costs \x80 5m and \xa3400m \x93quoted\x94", "ok", "cp1252", "Costs € 5m and £400m “quoted”"),
    ("latin1_only", b"Caf\xe9 \x81", "ok", "latin-1", "Café \x81"),
    ("empty", b"", "empty", "utf-8", ""),
    ("whitespace", b" \n\t\r\n ", "empty", "utf-8", " \n\t\r\n "),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "error", None, ""),
    ("controls", b"BT\x07 wins\x1b contract", "ok", "utf-8", "BT\x07 wins\x1b contract"),
    ("utf16_le_bom", "BT wins £4m".encode("utf-16"), "ok", "utf-16", "BT wins £4m"),
    ("utf16_be_bom", b"\xfe\xff" + "BT wins".encode("utf-16-be"), "ok", "utf-16", "BT wins"),
    ("utf32_bom", "BT wins".encode("utf-32"), "ok", "utf-32", "BT wins"),
    ("utf16_broken", b"\xff\xfeB\x00\x00\xd8", "error", None, ""),
]


@pytest.mark.parametrize("name,data,status,encoding,text", CASES, ids=[c[0] for c in CASES])
def test_decoding(tmp_path, name, data, status, encoding, text):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    article = read_article(path, tmp_path)
    assert (article.status, article.encoding, article.text) == (status, encoding, text)
    assert article.article_id == name
    assert (article.error is None) == (status == "ok")


def test_discover_is_recursive_sorted_and_survives_link_loops(tmp_path):
    (tmp_path / "b" / "deep" / "deeper").mkdir(parents=True)
    for rel in ("b/deep/deeper/x.txt", "a.txt", "b/c.txt", "notes.md"):
        (tmp_path / rel).write_text("text")
    (tmp_path / "b" / "loop").symlink_to(tmp_path, target_is_directory=True)
    found = [article_id(p, tmp_path) for p, problem in discover(tmp_path)]
    assert found == ["a", "b/c", "b/deep/deeper/x"]


def test_files_that_would_share_an_id_keep_their_suffix(tmp_path):
    (tmp_path / "sub").mkdir()
    names = ["deal.html", "deal.txt", "other.htm", "sub/deal.TXT", "sub/note.txt", "sub/note.HTM"]
    ids = article_ids([tmp_path / name for name in names], tmp_path)
    assert ids == ["deal.html", "deal.txt", "other", "sub/deal", "sub/note.txt", "sub/note.HTM"]


def test_manifest(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("article,published\nsub/one.txt,2011-11-01\ntwo.txt,\n")
    assert {k: v.isoformat() for k, v in read_manifest(manifest).items()} == {"sub/one": "2011-11-01"}


def test_bad_manifest_names_the_line(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("article,published\none.txt,1 Nov 2011\n")
    with pytest.raises(ValueError, match=r"manifest.csv:2"):
        read_manifest(manifest)
