"""Benchmark our extraction against the bare spaCy NER model on the same files, both measured the same way.

Each run is a subprocess: wall time, CPU time (user + system, children included) and the peak of the summed
RSS of its whole process tree (/proc polled). Runs alternate (bare, extract, bare, extract, ...); a row reports
the run with the best wall time of its rounds, and the highest peak memory of them.
``python -m pipeline.bench --bare FOLDER --workers N`` is the internal bare-NER run.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from itertools import cycle
from pathlib import Path

from pipeline import articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEFAULT_WORDS = 100_000  # the default corpus: the seed articles repeated to about this many words
ROUNDS = 2
POLL = 0.05  # seconds between two memory samples
BARE_BATCH = 32  # texts per nlp.pipe batch in the bare run: small enough to keep every process busy
PAGE = os.sysconf("SC_PAGE_SIZE")


def run_bench(corpus: Path = SEEDS, words_target: int | None = None, workers: int = 2,
              rounds: int = ROUNDS) -> list[dict]:
    """Rows for the bare NER runs (the model as ``nlp.pipe`` runs it, and with ``n_process=workers``) and our
    extraction on ``workers`` processes, over ``corpus`` (cycled to ``words_target`` words if given).
    The ratio is to the bare run on one process."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = sized_copy(corpus, words_target, Path(tmp) / "corpus") if words_target else corpus
        texts = [articles.read_article(p, folder).text for p in articles.files(folder)]
        words = sum(len(t.split()) for t in texts)
        bare_command = [sys.executable, "-m", "pipeline.bench", "--bare", str(folder), "--workers"]
        commands = {"bare NER, 1 process": bare_command + ["1"],
                    f"bare NER, {workers} processes": bare_command + [str(workers)],
                    "extract": [sys.executable, "-m", "pipeline", "extract", str(folder), "--out",
                                str(Path(tmp) / "out"), "--quiet", "--workers", str(workers)]}
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():
                runs[name].append(measure(command))
    bare = min(runs["bare NER, 1 process"])[0]
    label = f"{corpus.name} ×{words_target:,} words" if words_target else corpus.name
    return [{"corpus": label, "run": name, "articles": len(texts), "words": words, "seconds": min(done)[0],
             "cpu_seconds": min(done)[1], "words_per_s": words / min(done)[0],
             "peak_rss_mb": max(m for _, _, m in done), "ratio": min(done)[0] / bare,
             "rounds": [s for s, _, _ in done]} for name, done in runs.items()]


def sized_copy(corpus: Path, words_target: int, dest: Path) -> Path:
    """The corpus's files copied into ``dest`` under distinct names, cycled until about ``words_target`` words."""
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
    """(wall seconds, CPU seconds, peak MB of the summed RSS of the process tree) of one run; fails if it does."""
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
            text = "£$€" * (size // 3) if kind == "symbols" else (prose + " ") * (size // (len(prose) + 1) + 1)
            (folder / "article.txt").write_text(text[:size])
            seconds, cpu, peak = measure([sys.executable, "-m", "pipeline", "extract", str(folder), "--out",
                                          str(Path(tmp) / f"out{len(rows)}"), "--quiet", "--workers", str(workers)])
            rows.append({"article": name, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak})
    return rows


def format_pathological(rows: list[dict]) -> str:
    lines = ["| pathological article | seconds | CPU s | peak RSS MB |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {r['article']} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_rss_mb']:,.0f} |"
              for r in rows]
    return "\n".join(lines + ["", TARGETS])


def format_table(rows: list[dict]) -> str:
    """A Markdown table of the rows; seconds are the best of the rounds, ratio is to the bare NER run on one
    process."""
    lines = ["| corpus | run | articles | words | seconds (best) | CPU s | words/s | peak RSS MB | ratio "
             "| rounds (s) |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        lines.append(f"| {r['corpus']} | {r['run']} | {r['articles']:,} | {r['words']:,} | {r['seconds']:.1f} | "
                     f"{r['cpu_seconds']:.1f} | {r['words_per_s']:,.0f} | {r['peak_rss_mb']:,.0f} | {r['ratio']:.2f} | "
                     f"{', '.join(f'{s:.1f}' for s in r['rounds'])} |")
    return "\n".join(lines)


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
