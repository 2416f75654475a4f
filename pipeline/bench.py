"""Benchmark our extraction against the bare spaCy NER model on the same files, both measured the same way.

Each run is a subprocess: wall time, CPU time (user + system, children included) and the peak of the summed
RSS of its whole process tree (/proc polled). Runs alternate (bare, extract, bare, extract, ...); a row
reports the run with the best wall time of its rounds, and the highest peak memory of them. With ``dask``, the
extraction also runs on a real Dask cluster (``dask scheduler`` and ``dask worker`` processes on 127.0.0.1,
started once and warmed up with one run), its articles sent to the workers as bytes: its wall time against the
local engine's, and the client's CPU time, which must stay small for more workers to pay. ``python -m
pipeline.bench --bare FOLDER --workers N`` is the internal bare-NER run."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from itertools import cycle
from pathlib import Path
from typing import Iterator

from pipeline import articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEFAULT_WORDS = 100_000  # the default corpus: the seed articles repeated to about this many words
ROUNDS = 2
POLL = 0.05  # seconds between two memory samples
BARE_BATCH = 32  # texts per nlp.pipe batch in the bare run: small enough to keep every process busy
PAGE = os.sysconf("SC_PAGE_SIZE")


def run_bench(
    corpus: Path = SEEDS,
    words_target: int | None = None,
    workers: int = 2,
    rounds: int = ROUNDS,
    dask: bool = False,
) -> list[dict]:
    """Rows for the bare NER runs (the model as ``nlp.pipe`` runs it, and with ``n_process=workers``) and our
    extraction on ``workers`` processes, over ``corpus`` (cycled to ``words_target`` words if given); with
    ``dask``, also on a Dask cluster of ``workers`` worker processes. The ratio is to the bare run on one
    process."""
    with (
        tempfile.TemporaryDirectory(prefix="bench-") as tmp,
        dask_cluster(workers, Path(tmp) / "cluster") if dask else _no_cluster() as scheduler,
    ):
        folder = sized_copy(corpus, words_target, Path(tmp) / "corpus") if words_target else corpus
        texts = [articles.read_article(p, folder).text for p in articles.files(folder)]
        words = sum(len(t.split()) for t in texts)
        bare_command = [sys.executable, "-m", "pipeline.bench", "--bare", str(folder), "--workers"]

        def extract(source: Path, *engine: str) -> list[str]:
            return [
                sys.executable,
                "-m",
                "pipeline",
                "extract",
                str(source),
                "--out",
                str(Path(tmp) / "out"),
                "--quiet",
                "--workers",
                str(workers),
                *engine,
            ]

        commands = {
            "bare NER, 1 process": bare_command + ["1"],
            f"bare NER, {workers} processes": bare_command + [str(workers)],
            "extract": extract(folder),
        }
        if scheduler:
            on_cluster = ("--engine", "dask", "--scheduler", scheduler)
            commands[DASK_RUN.format(workers)] = extract(folder, *on_cluster)
            commands[DASK_START] = extract(one_article(folder, Path(tmp) / "one"), *on_cluster)
            measure(commands[DASK_RUN.format(workers)])  # the workers load the pipeline, once per cluster
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():
                runs[name].append(measure(command))
    bare, local = min(runs["bare NER, 1 process"])[0], min(runs["extract"])[0]
    start_up = min(cpu for _, cpu, _ in runs.pop(DASK_START, [(0, 0, 0)]))
    label = f"{corpus.name} ×{words_target:,} words" if words_target else corpus.name
    return [
        {
            "corpus": label,
            "run": name,
            "articles": len(texts),
            "words": words,
            "seconds": min(done)[0],
            "cpu_seconds": min(done)[1],
            "words_per_s": words / min(done)[0],
            "peak_rss_mb": max(m for _, _, m in done),
            "ratio": min(done)[0] / bare,
            "to_local": min(done)[0] / local,
            "start_up_cpu_seconds": start_up,
            "rounds": [s for s, _, _ in done],
        }
        for name, done in runs.items()
    ]


def one_article(folder: Path, dest: Path) -> Path:
    """A folder holding the first article of ``folder``: a run on it costs what any run costs to start."""
    dest.mkdir()
    shutil.copyfile(articles.files(folder)[0], dest / "one.txt")
    return dest


DASK_RUN = "extract, Dask cluster of {} workers"
DASK_START = "the Dask client on one article"  # its CPU time is the client's start-up cost


@contextmanager
def _no_cluster() -> Iterator[None]:
    yield None


@contextmanager
def dask_cluster(workers: int, home: Path) -> Iterator[str]:
    """A Dask scheduler and ``workers`` single-threaded worker processes on 127.0.0.1, started as commands
    of their own in ``home``; yields the scheduler's address, and stops them all on exit."""
    try:
        import distributed
    except ImportError:
        raise ValueError("--dask needs Dask: pip install '.[dask]'") from None
    home.mkdir(parents=True)
    address_file = home / "scheduler.json"
    commands = [
        ["scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(address_file)],
        [
            "worker",
            "--scheduler-file",
            str(address_file),
            "--nworkers",
            str(workers),
            "--nthreads",
            "1",
            "--host",
            "127.0.0.1",
            "--local-directory",
            str(home),
        ],
    ]
    started = []
    try:
        for command in commands:
            started.append(
                subprocess.Popen(
                    [sys.executable, "-m", "dask", *command, "--no-dashboard"],
                    cwd=home,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            if command[0] == "scheduler":
                address = _address(address_file, started[0])
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for process in reversed(started):
            _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """A command started by ``dask_cluster`` and all it started (a worker's nannies and workers)."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _address(address_file: Path, scheduler: subprocess.Popen, wait: float = 60) -> str:
    """The address the scheduler wrote in its file, once it has."""
    deadline = time.time() + wait
    while time.time() < deadline and scheduler.poll() is None:
        try:
            return json.loads(address_file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.1)
    raise RuntimeError(f"the Dask scheduler did not start within {wait:g} s")


def sized_copy(corpus: Path, words_target: int, dest: Path) -> Path:
    """The corpus's files copied into ``dest`` under distinct names, cycled until about ``words_target``
    words."""
    files = articles.files(corpus)
    sizes = [len(articles.read_article(p, corpus).text.split()) for p in files]
    if not sum(sizes):
        raise ValueError(f"no words in .txt files under {corpus}")
    dest.mkdir(parents=True)
    words = 0
    for n, (path, size) in enumerate(cycle(zip(files, sizes))):
        if words >= words_target:
            return dest
        shutil.copyfile(path, dest / f"{n:06d}_{path.name}")
        words += size


def measure(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB of the summed RSS of the process tree) of one run; fails if it
    does."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(POLL)
    seconds = time.perf_counter() - started
    stderr = proc.stderr.read().decode(errors="replace")
    if proc.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}): {stderr[-2000:]}")
    return seconds, _children_cpu() - cpu_before, peak / 2**20


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_rss(root: int) -> int:
    """Bytes of RSS summed over ``root`` and all its descendants, from /proc/*/stat."""
    children, rss = defaultdict(list), {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            pid = int(entry.name)
            children[int(fields[1])].append(pid)
            rss[pid] = int(fields[21]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children[pid]
    return total


PATHOLOGICAL = {  # name: (characters, what the article is)
    "1 MB, one line": (1_000_000, "prose"),
    "5 MB, one line": (5_000_000, "prose"),
    "600 KB of currency symbols": (600_000, "symbols"),
}
TARGETS = "targets: 1 MB under 10 s; 5 MB under 5x the 1 MB time; symbols under 10 s"


def run_pathological(corpus: Path, workers: int) -> list[dict]:
    """One article each of ``PATHOLOGICAL``: the corpus's prose joined on one line (no paragraph or line
    breaks), cycled to the size, or a run of currency symbols without a space; extract timed on each."""
    prose = " ".join(" ".join(articles.read_article(p, corpus).text.split()) for p in articles.files(corpus))
    if not prose:
        raise ValueError(f"no text in the articles under {corpus}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-patho-") as tmp:
        for name, (size, kind) in PATHOLOGICAL.items():
            folder = Path(tmp) / f"in{len(rows)}"
            folder.mkdir()
            text = (
                "£$€" * (size // 3) if kind == "symbols" else (prose + " ") * (size // (len(prose) + 1) + 1)
            )
            (folder / "article.txt").write_text(text[:size])
            seconds, cpu, peak = measure(
                [
                    sys.executable,
                    "-m",
                    "pipeline",
                    "extract",
                    str(folder),
                    "--out",
                    str(Path(tmp) / f"out{len(rows)}"),
                    "--quiet",
                    "--workers",
                    str(workers),
                ]
            )
            rows.append({"article": name, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak})
    return rows


def format_pathological(rows: list[dict]) -> str:
    lines = ["| pathological article | seconds | CPU s | peak RSS MB |", "| --- | ---: | ---: | ---: |"]
    lines += [
        f"| {r['article']} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_rss_mb']:,.0f} |"
        for r in rows
    ]
    return "\n".join(lines + ["", TARGETS])


def format_table(rows: list[dict]) -> str:
    """A Markdown table of the rows; seconds are the best of the rounds, ratio is to the bare NER run on one
    process."""
    lines = [
        "| corpus | run | articles | words | seconds (best) | CPU s | words/s | peak RSS MB | ratio "
        "| rounds (s) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['run']} | {r['articles']:,} | {r['words']:,} | {r['seconds']:.1f} | "
            f"{r['cpu_seconds']:.1f} | {r['words_per_s']:,.0f} | {r['peak_rss_mb']:,.0f} | "
            f"{r['ratio']:.2f} | "
            f"{', '.join(f'{s:.1f}' for s in r['rounds'])} |"
        )
    return "\n".join(lines)


def format_dask(rows: list[dict]) -> str:
    """The Dask rows against the local engine: its CPU time is the client's alone (the workers are not its
    processes): its start-up (a run on one article) and the rest per 1,000 articles."""
    lines = [
        "| Dask run (warm workers, articles sent as bytes) | seconds (best) | × local extract "
        "| client CPU s | of it start-up | client CPU s per 1,000 articles after start-up "
        "| rounds (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {r['run']} | {r['seconds']:.1f} | {r['to_local']:.2f} | {r['cpu_seconds']:.1f} | "
        f"{r['start_up_cpu_seconds']:.1f} | "
        f"{1000 * max(0.0, r['cpu_seconds'] - r['start_up_cpu_seconds']) / r['articles']:.2f} | "
        f"{', '.join(f'{s:.1f}' for s in r['rounds'])} |"
        for r in rows
        if r["run"].startswith("extract, Dask")
    ]
    return "\n".join(lines + ["", "target: Dask at most 1.3 × the local extract's time"])


def bare_ner(folder: Path, workers: int) -> int:
    """The bare run: the model with only ``ner`` over the folder's texts; returns the number of entities."""
    import spacy
    from spacy.util import get_model_meta, get_package_path

    from pipeline.nlp import default_model

    model = default_model()
    path = Path(model) if Path(model).is_dir() else get_package_path(model)
    others = [name for name in get_model_meta(path)["components"] if name != "ner"]
    nlp = spacy.load(model, exclude=others)
    texts = [articles.read_article(p, folder).text for p in articles.files(folder)]
    return sum(len(doc.ents) for doc in nlp.pipe(texts, n_process=workers, batch_size=BARE_BATCH))


if __name__ == "__main__":
    p = argparse.ArgumentParser(description="internal: the bare NER run of the benchmark")
    p.add_argument("--bare", type=Path, required=True)
    p.add_argument("--workers", type=int, default=1)
    args = p.parse_args()
    bare_ner(args.bare, args.workers)
