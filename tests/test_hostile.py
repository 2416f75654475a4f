"""Hostile setups: the tool never deletes what it did not write, and every path under the input is accounted
for.

Each case builds a folder tree in ``tmp_path`` and runs the CLI as a user would."""

import errno
import hashlib
import importlib.util
import os
import shutil
import signal
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, read_tables, run_cli, run_in_process, start_cli

SEED = ROOT / "seeds" / "000_ed3064653d8ac52c.txt"
# Root reads any file: the permission cases drop the capabilities that let it (or run as they are for a user).
AS_USER = (
    ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    if os.geteuid() == 0 and shutil.which("setpriv")
    else []
)


def articles_in(folder: Path, n: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        shutil.copy(SEED, folder / f"a{i}.txt")
    return folder


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with its content's digest."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- the output folder: refused unless missing, empty or ours -----------------------------------------------


def _foreign_file(tmp):
    out = tmp / "out"
    out.mkdir()
    (out / "canary").write_bytes(b"keep me\n")
    return tmp / "in", out, ROOT


def _foreign_beside_ours(tmp):
    out = tmp / "out"
    assert run_in_process("extract", articles_in(tmp / "in"), "--out", out, "--quiet").returncode == 0
    (out / "notes.xlsx").write_bytes(b"analyst's work")
    return tmp / "in", out, ROOT


def _input_itself(tmp):
    return tmp / "in", tmp / "in", ROOT


def _parent_of_input(tmp):
    return tmp / "in", tmp, ROOT


def _current_folder(tmp):
    work = tmp / "work"
    work.mkdir()
    (work / "thesis.docx").write_bytes(b"years of work")
    return tmp / "in", Path("."), work


def _run_json_of_someone_else(tmp):
    out = tmp / "out"
    out.mkdir()
    (out / "run.json").write_text('{"tool": "another-tool"}')
    (out / "money.csv").write_text("theirs\n")
    return tmp / "in", out, ROOT


REFUSED = [
    ("foreign file", _foreign_file, "not an output of this tool (it holds canary)"),
    ("foreign file beside our tables", _foreign_beside_ours, "holds notes.xlsx"),
    ("out is the input", _input_itself, "is the input folder"),
    ("out contains the input", _parent_of_input, "is the input folder or contains it"),
    ("out is the current folder", _current_folder, "is the current folder"),
    ("run.json of another tool", _run_json_of_someone_else, "not an output of this tool"),
]


@pytest.mark.parametrize("setup,message", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_an_output_folder_that_is_not_ours_is_refused_and_left_alone(tmp_path, setup, message):
    articles_in(tmp_path / "in")
    articles, out, cwd = setup(tmp_path)
    before = tree(tmp_path)
    result = run_cli("extract", articles.resolve(), "--out", out, "--quiet", cwd=cwd)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree(tmp_path) == before  # byte for byte, nothing added or removed


@pytest.mark.parametrize("setup", ["missing", "empty", "ours"])
def test_a_missing_empty_or_previous_output_is_replaced(tmp_path, setup):
    articles, out = articles_in(tmp_path / "in"), tmp_path / "out"
    if setup == "empty":
        out.mkdir()
    if setup == "ours":
        other = articles_in(tmp_path / "other", 1)
        assert run_in_process("extract", other, "--out", out, "--quiet").returncode == 0
    assert run_in_process("extract", articles, "--out", out, "--quiet").returncode == 0
    assert len(read_tables(out)["articles"]) == 2


def test_an_output_inside_the_input_is_never_read_as_input(tmp_path):
    articles = articles_in(tmp_path / "in")
    for _ in range(2):
        assert run_in_process("extract", articles, "--out", articles / "out", "--quiet").returncode == 0
    assert sorted(read_tables(articles / "out")["articles"].article_id) == ["a0", "a1"]


def test_a_linked_output_keeps_its_link_and_replaces_the_target(tmp_path):
    articles, target, link = articles_in(tmp_path / "in"), tmp_path / "real_out", tmp_path / "out"
    target.mkdir()
    link.symlink_to(target, target_is_directory=True)
    for _ in range(2):
        assert run_in_process("extract", articles, "--out", link, "--quiet").returncode == 0
    assert link.is_symlink() and (target / "articles.parquet").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- every input path gets a row ----------------------------------------------------------------------------


def _non_utf8_name(folder):
    with open(os.fsencode(folder) + b"/bad\xff\xfename.txt", "w") as handle:
        handle.write("Capita won a £40m contract in 2012.")


INPUTS = [  # what is made in the input folder; the article_id, status and error (a part) it must give
    ("upper-case suffix", lambda f: shutil.copy(SEED, f / "NOTES.TXT"), "NOTES", "ok", None),
    ("folder named .txt", lambda f: (f / "x.txt").mkdir(), "x", "error", "folder named like an article"),
    (
        "utf-16 with BOM",
        lambda f: (f / "u.txt").write_text("Serco won a £10m deal.", encoding="utf-16"),
        "u",
        "ok",
        None,
    ),
    ("name not UTF-8", _non_utf8_name, "bad\\xff\\xfename", "ok", None),
    ("pipe", lambda f: os.mkfifo(f / "fifo.txt"), "fifo", "error", "not a regular file"),
    (
        "link to /dev/zero",
        lambda f: (f / "zero.txt").symlink_to("/dev/zero"),
        "zero",
        "error",
        "not a regular",
    ),
]


@pytest.mark.parametrize("make,article_id,status,error", [c[1:] for c in INPUTS], ids=[c[0] for c in INPUTS])
def test_every_input_path_gets_its_row(tmp_path, make, article_id, status, error):
    articles = articles_in(tmp_path / "in", 1)
    make(articles)
    result = run_in_process("extract", articles, "--out", tmp_path / "out", "--quiet", "--workers", "1")
    assert result.returncode == 0, result.stderr
    rows = read_tables(tmp_path / "out")["articles"].set_index("article_id")
    assert sorted(rows.index) == sorted(["a0", article_id])
    assert rows.loc[article_id, "status"] == status
    assert (error or "") in str(rows.loc[article_id, "error"] or "")


@pytest.mark.skipif(os.geteuid() == 0 and not AS_USER, reason="root without setpriv reads every folder")
def test_a_folder_that_cannot_be_listed_is_an_error_row_also_on_incremental_runs(tmp_path):
    articles, out = articles_in(tmp_path / "in"), tmp_path / "out"
    locked = articles_in(articles / "locked", 1)
    assert run_in_process("extract", articles, "--out", out, "--quiet").returncode == 0
    locked.chmod(0)
    try:
        for extra in ([], ["--incremental"]):
            result = run_cli("extract", articles, "--out", out, "--quiet", *extra, prefix=AS_USER)
            assert result.returncode == 0 and "1 folder(s) could not be listed" in result.stderr, (
                result.stderr
            )
            rows = read_tables(out)["articles"].set_index("article_id")
            assert sorted(rows.index) == ["a0", "a1", "locked"]
            assert rows.loc["locked", "error"].startswith("cannot list folder: Permission denied")
    finally:
        locked.chmod(0o755)


@pytest.mark.skipif(os.geteuid() == 0 and not AS_USER, reason="root without setpriv reads every file")
def test_an_unreadable_file_is_an_error_row(tmp_path):
    articles = articles_in(tmp_path / "in", 1)
    (articles / "locked.txt").write_text("BT wins")
    (articles / "locked.txt").chmod(0)
    result = run_cli("extract", articles, "--out", tmp_path / "out", "--quiet", prefix=AS_USER)
    assert result.returncode == 0, result.stderr
    rows = read_tables(tmp_path / "out")["articles"].set_index("article_id")
    assert rows.loc["locked", "error"] == "cannot read file: Permission denied"


# --- incremental runs are as careful as full runs -----------------------------------------------------------

CHANGES = [  # what happens to a0.txt between a run and an incremental run; the status it must get
    ("replaced by a pipe", lambda p: (p.unlink(), os.mkfifo(p)), "error"),
    ("replaced by a link to /dev/zero", lambda p: (p.unlink(), p.symlink_to("/dev/zero")), "error"),
    ("unchanged", lambda p: None, "ok"),
]


@pytest.mark.parametrize("change,status", [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_incremental_reads_changed_files_with_the_same_checks(tmp_path, change, status):
    articles, out = articles_in(tmp_path / "in"), tmp_path / "out"
    first = run_in_process("extract", articles, "--out", out, "--quiet", "--reference-date", "2012-01-01")
    assert first.returncode == 0
    change(articles / "a0.txt")
    result = run_in_process("extract", articles, "--out", out, "--quiet", "--incremental")  # the flag dropped
    assert result.returncode == 0, result.stderr
    rows = read_tables(out)["articles"].set_index("article_id")
    assert rows.loc["a0", "status"] == status and rows.reference_date.isna().all()


def test_the_fingerprint_covers_the_package_code(tmp_path, monkeypatch, nlp):
    from pipeline import incremental

    code = tmp_path / "pipeline"
    shutil.copytree(ROOT / "pipeline", code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(incremental, "PACKAGE_DIR", code)
    before = incremental.fingerprint(nlp, ())
    with open(code / "normalize" / "money.py", "a") as handle:
        handle.write("\n# a changed line\n")
    assert incremental.fingerprint(nlp, ()) != before


# --- failures leave nothing behind --------------------------------------------------------------------------


def test_a_full_disk_leaves_no_temporary_folder_and_one_line(tmp_path, monkeypatch, capfd):
    import gc

    import pyarrow.parquet as pq

    from pipeline import cli

    def full(self, table, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    code = cli.main(
        [
            "extract",
            str(articles_in(tmp_path / "in")),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--workers",
            "1",
        ]
    )
    gc.collect()  # a writer left open would print "Exception ignored in ParquetWriter.__del__" here
    err = capfd.readouterr().err
    assert (
        code == 2
        and err.strip() == f"error: cannot write the tables in {tmp_path / 'out'}: No space left on device"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_an_article_over_its_time_budget_is_an_error_row(tmp_path):
    articles = articles_in(tmp_path / "in")
    result = run_in_process(
        "extract",
        articles,
        "--out",
        tmp_path / "out",
        "--quiet",
        "--workers",
        "1",
        "--article-timeout",
        "0.001",
    )
    assert result.returncode == 0, result.stderr
    rows = read_tables(tmp_path / "out")["articles"]
    assert (rows.status == "error").all() and rows.error.str.startswith("timed out").all()


def test_a_long_run_without_spaces_keeps_the_offsets_of_what_follows(tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "run.txt").write_text("£$€" * 50_000 + " BT won a £400m contract on 31 March 2014.")
    assert run_in_process("extract", articles, "--out", tmp_path / "out", "--quiet").returncode == 0
    text = (articles / "run.txt").read_text()
    mentions = read_tables(tmp_path / "out")["mentions"]
    assert {"£400m", "31 March 2014"} <= set(mentions.text)
    assert all(text[s:e] == t for s, e, t in zip(mentions.start, mentions.end, mentions.text))


# --- usage and signals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args,message",
    [
        (["--workers", "0"], "at least 1"),
        (["--workers", "-2"], "at least 1"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path, args, message):
    result = run_cli("extract", articles_in(tmp_path / "in"), "--out", tmp_path / "out", *args)
    assert result.returncode == 2 and message in result.stderr


def test_an_empty_input_folder_says_so(tmp_path):
    (tmp_path / "in").mkdir()
    result = run_cli("extract", tmp_path / "in", "--out", tmp_path / "out", "--quiet")
    assert result.returncode == 0 and "no article files" in result.stderr
    assert len(read_tables(tmp_path / "out")["articles"]) == 0


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="needs Dask")
@pytest.mark.parametrize("delay", [0.0, 3.0], ids=["while the cluster starts", "while workers are busy"])
def test_a_stopped_dask_run_leaves_no_lock_files_and_prints_no_worker_tracebacks(tmp_path, delay):
    articles = articles_in(tmp_path / "in", 300)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = start_cli(
        "extract",
        articles,
        "--out",
        tmp_path / "out",
        "--quiet",
        "--workers",
        "2",
        "--engine",
        "dask",
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    deadline = time.time() + 120
    while not list(tmp_path.glob(".out.tmp-*")) and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(delay)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 143
    err = proc.stderr.read()
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("interrupted")
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "tmp"]


def test_a_run_with_the_out_folder_recorded_as_ours_can_rerun(tmp_path):
    """run.json marks the folder as ours: the tool name and format version, with the options of the run."""
    out = tmp_path / "out"
    assert run_in_process("extract", articles_in(tmp_path / "in"), "--out", out, "--quiet").returncode == 0
    meta = pd.read_json(out / "run.json", typ="series")
    assert meta["tool"] == "contract-news-extraction" and meta["format"] == 3
    assert meta["options"]["workers"] >= 1
