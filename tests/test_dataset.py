"""A URL output (written by Dask workers as Parquet parts): refused unless new, empty or ours; committed by
run.json alone, which keeps the previous output until the new one is complete; read back in input order."""

import json

import fsspec
import pytest

import pipeline
from pipeline import cli, dataset, schema
from pipeline.writer import UnsafeOutput


@pytest.fixture
def url(tmp_path):
    memory = fsspec.filesystem("memory")
    yield f"memory://{tmp_path.name}/tables"
    if memory.exists(f"memory://{tmp_path.name}"):
        memory.rm(f"memory://{tmp_path.name}", recursive=True)


def article_rows(article_id: str, orgs: list[str]) -> dict[str, list[dict]]:
    return {
        "articles": [{"article_id": article_id, "status": "ok", "error": None}],
        "mentions": [
            {"article_id": article_id, "mention_id": n, "label": "ORG", "text": name}
            for n, name in enumerate(orgs)
        ],
        "organisations": [
            {"article_id": article_id, "mention_id": n, "text": name, "name": name, "canonical": name}
            for n, name in enumerate(orgs)
        ],
        "organisation_summary": [
            {"article_id": article_id, "canonical": name, "mentions": 1} for name in dict.fromkeys(orgs)
        ],
    }


def test_parts_read_back_in_input_order_and_run_json_commits(url):
    target = dataset.Dataset(url)
    batches = [[article_rows(f"a{b}{k}", ["Acme", f"Org {b}"]) for k in range(3)] for b in range(12)]
    for number in reversed(range(12)):  # finished out of order
        receipts = dataset.write_batch(target.folder, number, 0, batches[number])
        assert [r["articles"][0]["article_id"] for r in receipts] == [f"a{number}{k}" for k in range(3)]
    with pytest.raises(FileNotFoundError):
        pipeline.load(url)  # nothing is there before the commit
    target.commit([{"entity": "Acme", "names": "Acme", "articles": 36, "mentions": 36}], {"articles": 36})
    tables = pipeline.load(url)
    assert list(tables["articles"].article_id) == [f"a{b}{k}" for b in range(12) for k in range(3)]
    assert list(tables["mentions"].text[:4]) == ["Acme", "Org 0", "Acme", "Org 0"]
    assert tables["mentions"].label.dtype == "category"  # the parts' dictionaries unified
    assert set(tables) == set(schema.TABLES) and tables["money"].empty
    assert list(tables["money"].columns) == schema.columns("money")


def test_a_new_run_replaces_the_old_one_only_when_committed(url):
    first = dataset.Dataset(url)
    dataset.write_batch(first.folder, 0, 0, [article_rows("old", ["Acme"])])
    first.commit([], {})
    second = dataset.Dataset(url)
    dataset.write_batch(second.folder, 0, 0, [article_rows("new", ["Acme"])])
    assert list(pipeline.load(url)["articles"].article_id) == ["old"]  # the previous output until the commit
    second.commit([], {})
    assert list(pipeline.load(url)["articles"].article_id) == ["new"]
    fs, root = fsspec.core.url_to_fs(url)
    assert {path.split("/")[-3] for path in fs.find(root) if "/tables-" in path} == {second.run}
    third = dataset.Dataset(url)
    dataset.write_batch(third.folder, 0, 0, [article_rows("newer", ["Acme"])])
    third.abort()
    assert list(pipeline.load(url)["articles"].article_id) == ["new"]
    assert not [path for path in fs.find(root) if third.run in path]


def test_a_redone_task_leaves_no_part_of_its_first_try(url):
    target = dataset.Dataset(url)
    dataset.write_batch(target.folder, 3, 0, [article_rows("x", ["Acme"]), article_rows("y", [])])
    target.remove_part(3, 0)
    for place, name in enumerate(["x", "y"], 1):
        dataset.write_batch(target.folder, 3, place, [article_rows(name, ["Acme"] if name == "x" else [])])
    target.commit([], {})
    assert list(pipeline.load(url)["articles"].article_id) == ["x", "y"]
    assert len(pipeline.load(url)["organisations"]) == 1


FOREIGN = ["notes.txt", "tables-1/notes.parquet", "tables-abc/money/part-1.parquet"]


@pytest.mark.parametrize("foreign", FOREIGN)
def test_an_output_url_with_foreign_files_is_refused_and_kept(url, foreign):
    fs, root = fsspec.core.url_to_fs(url)
    fs.pipe(f"{root}/run.json", json.dumps({"tool": "contract-news-extraction"}).encode())
    fs.pipe(f"{root}/{foreign}", b"mine")
    with pytest.raises(UnsafeOutput, match="not an output of this tool"):
        dataset.Dataset(url)
    assert fs.cat(f"{root}/{foreign}") == b"mine"


def test_an_unmarked_output_url_is_refused(url):
    fs, root = fsspec.core.url_to_fs(url)
    fs.pipe(f"{root}/tables-1/money/part-00000000-0000.parquet", b"not ours: no run.json says so")
    with pytest.raises(UnsafeOutput):
        dataset.Dataset(url)


@pytest.mark.parametrize("options", [["--engine", "local"], ["--engine", "dask", "--incremental"]])
def test_an_output_url_needs_the_dask_workers(tmp_path, url, capsys, options):
    (tmp_path / "a.txt").write_text("Acme won a £5m deal.")
    assert cli.main(["extract", str(tmp_path), "--out", url, *options]) == 2
    assert "--out URL" in capsys.readouterr().err
