"""An input folder given as an fsspec URL is listed and read like a local folder; a local folder's bytes can
travel with their jobs to workers that do not share the client's disk."""

import dataclasses
from pathlib import Path

import fsspec
import pytest

from pipeline import articles, run
from pipeline.dask_engine import with_bytes
from pipeline.jobs import jobs_for

TREE = {  # relative path: bytes
    "b/deep/deeper/x.txt": b"Acme Ltd won a \xa312m contract on 3 March 2021.",
    "a.txt": "Capita wins £40m Home Office deal.".encode(),
    "b/c.TXT": b"\xef\xbb\xbfBT signed a five-year deal worth $4.5bn.\r\n",
    "b/empty.txt": b"",
    "binary.txt": b"\x89PNG\x00\x00",
    "folder.txt/inner.md": b"not an article",
    "notes.md": b"not an article",
    "manifest.csv": b"article,published\nb/deep/deeper/x.txt,2021-03-04\n",
}


@pytest.fixture
def folders(tmp_path):
    """The same tree as a local folder, a memory:// URL and a file:// URL."""
    local = tmp_path / "news"
    memory = fsspec.filesystem("memory")
    url = f"memory://{tmp_path.name}/news"
    for relative, data in TREE.items():
        (local / relative).parent.mkdir(parents=True, exist_ok=True)
        (local / relative).write_bytes(data)
        memory.pipe(f"{url}/{relative}", data)
    yield {"local": local, "memory": url, "file": f"file://{local}"}
    memory.rm(f"memory://{tmp_path.name}", recursive=True)


def listed(jobs):
    return [(j.article_id, j.problem, j.reference, j.reference_source) for j in jobs]


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_a_url_is_listed_like_the_local_folder(folders, kind):
    local, remote = jobs_for(folders["local"], None, None), jobs_for(folders[kind], None, None)
    assert listed(remote) == listed(local)
    assert [j.article_id for j in local] == ["a", "b/c", "b/deep/deeper/x", "b/empty", "binary", "folder"]
    assert all(j.path.startswith(folders[kind] + "/") for j in remote)
    assert [j.size for j in remote if not j.problem] == [
        len(TREE[p]) for p in sorted(TREE) if articles.is_article(p) and "folder" not in p
    ]


def test_a_url_articles_rows_equal_the_local_ones(folders):
    local_jobs = jobs_for(folders["local"], None, None)
    local = [r for batch in run.local_results(local_jobs, 1, None, ()) for r in batch]
    jobs = jobs_for(folders["memory"], None, None)
    remote = [r for batch in run.local_results(jobs, 1, None, ()) for r in batch]
    assert [r["articles"][0]["status"] for r in remote] == ["ok", "ok", "ok", "empty", "error", "error"]
    assert sum(len(r.get("money", [])) for r in remote) == 3
    for mine, theirs, job in zip(local, remote, jobs):
        assert theirs["articles"][0]["path"] == job.path
        theirs["articles"][0]["path"] = mine["articles"][0]["path"]
        assert mine == theirs


def test_a_url_that_cannot_be_read_is_an_error_row(folders):
    article = articles.read_article(f"{folders['memory']}/gone.txt", folders["memory"])
    assert (article.article_id, article.status) == ("gone", "error")
    assert article.error.startswith("cannot read file: ")


def test_a_local_job_carries_its_bytes(folders):
    jobs = jobs_for(folders["local"], None, None)
    (folders["local"] / "b" / "gone.txt").symlink_to(folders["local"] / "nowhere.txt")
    broken = next(j for j in jobs_for(folders["local"], None, None) if j.article_id == "b/gone")
    carried = [with_bytes(job) for job in jobs]
    assert [job.data for job in carried] == [
        Path(job.path).read_bytes() if not job.problem else None for job in jobs
    ]
    for job, carrying in zip(jobs, carried):
        assert carrying.article() == job.article()
    assert with_bytes(broken).problem.startswith("cannot read file: No such file")
    url_job = jobs_for(folders["memory"], None, None)[0]
    assert with_bytes(url_job) is url_job  # the workers read a URL themselves


def test_carried_bytes_are_read_not_the_path(folders):
    job = jobs_for(folders["local"], None, None)[0]
    moved = dataclasses.replace(with_bytes(job), path=str(folders["local"] / "elsewhere" / "a.txt"))
    assert moved.article().text == TREE["a.txt"].decode()
