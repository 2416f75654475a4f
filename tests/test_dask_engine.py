"""The Dask engine yields exactly the rows of the local engine, batch by batch, in the same order."""

import os
import signal
import subprocess
import sys

import pytest
from conftest import ROOT

from pipeline import run
from pipeline.jobs import batches, jobs_for

ARTICLES = [
    "Acme Builders wins £12m school contract\n\nAcme Builders Ltd said on 3 March 2021 that it had won a "
    "£12m contract from Leeds City Council to build two primary schools over three years.",
    "Northwind signs $4.5bn deal\n\nNorthwind Energy has signed a $4.5bn agreement with the Ministry of "
    "Defence. "
    "The five-year contract starts in January 2022, the company said on Tuesday.",
    "Profits up 8%\n\nShares in Harbour Logistics rose 8% after it announced a €300 million port deal with "
    "Rotterdam Port Authority, running until 31 December 2030.",
    "Rail upgrade awarded\n\nNetwork Rail awarded Balfour Beatty a contract worth £1.2bn on 14/02/2023. "
    "Work will take 18 months.",
    "Hospital deal\n\nThe NHS trust picked Serco for a 10-year, £250m cleaning contract in April 2019.",
    "Software contract\n\nIBM will supply software to the Department for Work and Pensions for $75 million "
    "over 4 years, officials said on Monday 6 May 2024.",
    "Wind farm\n\nSiemens Gamesa won an order for 100 turbines from Orsted worth about €1bn, due in 2025.",
    "Airport expansion\n\nHeathrow Airport Holdings chose Mace Group for a £900m terminal project; "
    "the deal runs to 2028 and margins are 5.5%.",
    "Bus fleet\n\nTransport for London ordered 200 electric buses from Alexander Dennis for £80m last week.",
    "Defence radar\n\nThales UK signed a £135m radar contract with the Royal Navy on 2 September 2020, "
    "for six years.",
    "Water pipes\n\nThames Water gave Costain a £40 million, two-year contract, up 12% on the last one.",
    "Data centre\n\nAmazon Web Services will invest $2bn in Ireland by 2026, the Industrial Development "
    "Authority said.",
]


@pytest.fixture
def jobs(tmp_path):
    for i, text in enumerate(ARTICLES):
        (tmp_path / f"article_{i:02d}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    return jobs_for(tmp_path, None, None)


def test_dask_rows_equal_local_rows(jobs, monkeypatch):
    monkeypatch.setattr("pipeline.jobs.BATCH", 4)  # several batches, so that their order is tested
    pytest.importorskip("distributed", reason="Dask is an optional dependency: pip install '.[dask]'")
    from pipeline.dask_engine import dask_results

    local = list(run.local_results(jobs, 2, None, ()))
    dask = list(dask_results(jobs, None, (), workers=2))
    assert len(local) == len(dask) == len(list(batches(jobs))) > 1
    local_rows = [rows for batch in local for rows in batch]
    dask_rows = [rows for batch in dask for rows in batch]
    assert len(dask_rows) == len(jobs)
    assert (
        sum(len(rows.get("money", [])) for rows in local_rows) >= len(ARTICLES) - 2
    )  # the pipeline really ran
    for article, (mine, theirs) in enumerate(zip(local_rows, dask_rows)):
        assert mine.keys() == theirs.keys(), article
        for table in mine:
            assert len(mine[table]) == len(theirs[table]), (article, table)
            for row, (a, b) in enumerate(zip(mine[table], theirs[table])):
                assert a == b, (article, table, row)


@pytest.mark.parametrize(
    "module,not_imported",
    [("pipeline.dask_engine", "pipeline.run"), ("pipeline.jobs", "pipeline.dask_engine")],
)
def test_the_engines_share_jobs_without_importing_each_other(module, not_imported):
    """The import graph is a tree: run -> {jobs, dask_engine -> jobs}."""
    code = f"import sys, {module}; print({not_imported!r} in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert found.stdout == "False\n"


def test_missing_dask_is_a_clear_error(jobs, monkeypatch):
    from pipeline.dask_engine import dask_results

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(RuntimeError, match=r"--engine dask needs Dask: pip install '\.\[dask\]'"):
        dask_results(jobs, None, ())


def test_a_dask_worker_that_dies_loses_only_its_article(jobs, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed", reason="Dask is an optional dependency")
    import dask

    from pipeline.dask_engine import dask_results

    monkeypatch.setattr("pipeline.jobs.BATCH", 4)
    (tmp_path / "poison.txt").write_text("POISON: Acme paid £5m.", encoding="utf-8")
    jobs = jobs_for(tmp_path, None, None)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.register_plugin(die_on_poison(distributed))  # also on the workers that replace the killed ones
        rows = [
            r for batch in dask_results(jobs, None, (), scheduler=cluster.scheduler_address) for r in batch
        ]
    local = [r for batch in run.local_results(jobs, 1, None, ()) for r in batch]
    assert [r["articles"][0]["article_id"] for r in rows] == [j.path.rsplit("/", 1)[1][:-4] for j in jobs]
    for mine, theirs in zip(local, rows):
        if mine["articles"][0]["article_id"] == "poison":
            assert "worker process died" in theirs["articles"][0]["error"]
        else:
            assert mine == theirs


def test_a_dask_worker_that_dies_loses_only_its_article_in_a_url_output(tmp_path, monkeypatch):
    """The same with the tables written by the workers: the killed batch's parts are redone one by one."""
    distributed = pytest.importorskip("distributed", reason="Dask is an optional dependency")
    import dask
    import pyarrow.parquet as pq

    from pipeline import dataset, schema
    from pipeline.dask_engine import dask_dataset
    from pipeline.normalize import convert

    monkeypatch.setattr("pipeline.jobs.BATCH", 4)
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(ARTICLES[:7]):
        (folder / f"article_{i:02d}.txt").write_text(text, encoding="utf-8")
    (folder / "article_01b.txt").write_text("POISON: Acme paid £5m.", encoding="utf-8")
    jobs = jobs_for(folder, None, None)
    target = dataset.Dataset(f"file://{tmp_path}/out")
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.register_plugin(die_on_poison(distributed))
        receipts = []
        dask_dataset(
            jobs,
            (None, (), convert.DEFAULT_TARGET),
            cluster.scheduler_address,
            None,
            target,
            dict,
            receipts.append,
        )
    local = [r for batch in run.local_results(jobs, 1, None, ()) for r in batch]
    assert sum(len(r["articles"]) for r in receipts) == len(jobs) == 8
    for table in ("articles", "mentions", "money"):
        written = pq.read_table(f"{tmp_path}/out/{target.run}/{table}").to_pylist()
        kept = [
            row
            for rows in local
            for row in rows.get(table, [])
            if table == "articles" or row["article_id"] != "article_01b"
        ]  # the poison's rows are lost
        expected = schema.to_arrow(table, kept).to_pylist()
        if table == "articles":
            poison = next(n for n, row in enumerate(written) if row["article_id"] == "article_01b")
            assert "worker process died" in written[poison].pop("error")
            assert expected[poison].pop("error") is None
            for row in (written[poison], expected[poison]):
                row.pop("status")
        assert written == expected, table


def die_on_poison(distributed):
    """A Dask worker plugin: the worker process is killed (as by the out-of-memory killer) on an article that
    contains "POISON"."""

    class DieOnPoison(distributed.WorkerPlugin):
        def setup(self, worker):
            from pipeline import reading

            real = reading.process

            def process(nlp, batch, limit, *rest):
                if any("POISON" in article.text for article, _, _ in batch):
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(nlp, batch, limit, *rest)

            reading.process = process

    return DieOnPoison()
