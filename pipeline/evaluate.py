"""Score an output folder against gold files (SPEC section 4): per-label precision, recall and F1.

Values: per article and label, predictions are matched one-to-one to gold entries by normalised value
(money within 0.1% and the same currency; durations as equal lengths, P18M == P1Y6M); optional entries
neither reward nor punish, and a gold entry with a null value is matched by overlapping text.
Organisations: distinct predicted names against each listed organisation's name and aliases.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.labels import LABELS

TABLES = [label.table for label in LABELS]  # the typed tables scored
ISO_DURATION = re.compile(
    r"""
    ^P(?:([\d.]+)Y)?      # P10Y, P1.5Y
    (?:([\d.]+)M)?        # P6M
    (?:([\d.]+)W)?        # P2W
    (?:([\d.]+)D)?        # P3D
    (?:T(?:([\d.]+)H)?    # PT4H
       (?:([\d.]+)M)?     # PT30M
       (?:([\d.]+)S)?     # PT90S
    )?$
    """,
    re.VERBOSE,
)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list = field(default_factory=list)
    misses: list = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        self.false_positives += other.false_positives
        self.misses += other.misses

    @property
    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def norm_name(text) -> str:
    s = re.sub(r"[\u2019']s$", "", str(text or "").strip().casefold())
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"\s+", " ", s).strip(" .,;:\"'()")


def duration_key(iso: str):
    """Equal lengths compare equal: P18M == P1Y6M, PT90M == PT1H30M, P2W == P14D."""
    m = ISO_DURATION.match(iso.strip().upper())
    if not m or not any(m.groups()):
        return iso
    y, mo, w, d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    return round(y * 12 + mo, 6), round(((w * 7 + d) * 24 + h) * 3600 + mi * 60 + s, 3)


def value_key(table: str, item: dict):
    """The comparable value of a gold entry or a predicted row, or None."""
    get = {k: v for k, v in item.items() if v is not None and not (isinstance(v, float) and pd.isna(v))}
    if table == "money":
        return (float(get["amount"]), get.get("currency")) if "amount" in get else None
    if table == "percentages":
        return float(get["value"]) if "value" in get else None
    if table == "durations":
        return duration_key(str(get["iso"])) if "iso" in get else None
    return str(get["value"]) if "value" in get else None


def same(table: str, a, b) -> bool:
    if a is None or b is None:
        return False
    if table == "money":
        return a[1] == b[1] and abs(a[0] - b[0]) <= 1e-3 * max(abs(b[0]), 1.0)
    if table == "percentages":
        return abs(a - b) < 1e-6
    return a == b


def overlaps(predicted: str, gold: str) -> bool:
    p, g = norm_name(predicted), norm_name(gold)
    return bool(p and g) and (p in g or g in p)


def score_values(table: str, gold: list[dict], rows: list[dict]) -> Score:
    """One-to-one matching of predicted rows to gold entries (required entries first)."""
    entries = [(g, value_key(table, g), bool(g.get("optional"))) for g in gold]
    used = [False] * len(entries)
    score = Score()
    for row in rows:
        value = value_key(table, row)
        hit = next(
            (
                i
                for optional in (False, True)
                for i, (g, v, opt) in enumerate(entries)
                if not used[i]
                and opt == optional
                and (
                    same(table, value, v) or (v is None and opt and overlaps(row.get("text"), g.get("text")))
                )
            ),
            None,
        )
        if hit is None and value is None:
            hit = next(
                (
                    i
                    for i, (g, v, opt) in enumerate(entries)
                    if not used[i] and opt and overlaps(row.get("text"), g.get("text"))
                ),
                None,
            )
        if hit is None:
            score.fp += 1
            score.false_positives.append((row.get("text"), value))
            continue
        used[hit] = True
        score.tp += not entries[hit][2]
    score.misses = [(g.get("text"), v) for (g, v, opt), u in zip(entries, used) if not u and not opt]
    score.fn = len(score.misses)
    return score


def score_orgs(gold: list[dict], rows: list[dict]) -> Score:
    listed = [
        ({norm_name(g["name"])} | {norm_name(a) for a in g.get("aliases", [])}, bool(g.get("optional")))
        for g in gold
    ]
    predicted = {norm_name(r.get("name") or r.get("text")) for r in rows} - {""}
    found = [False] * len(listed)
    score = Score()
    for name in sorted(predicted):
        hits = [i for i, (names, _) in enumerate(listed) if name in names]
        for i in hits:
            found[i] = True
        if not hits:
            score.fp += 1
            score.false_positives.append((name, None))
    score.tp = sum(1 for (_, opt), f in zip(listed, found) if f and not opt)
    score.misses = [(sorted(names)[0], None) for (names, opt), f in zip(listed, found) if not f and not opt]
    score.fn = len(score.misses)
    return score


def load_rows(output: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(output / f"{t}.parquet") for t in TABLES}


def evaluate(gold_dir: Path, output: Path) -> dict[str, Score]:
    """{table: Score} over every gold file in ``gold_dir``, plus "overall"."""
    tables = load_rows(output)
    grouped = {t: {a: df.to_dict("records") for a, df in tables[t].groupby("article_id")} for t in TABLES}
    scores = {t: Score() for t in TABLES}
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        article = Path(gold["article"]).with_suffix("").as_posix()
        for table in TABLES:
            rows = next((r for a, r in grouped[table].items() if a == article or Path(a).name == article), [])
            scorer = score_orgs if table == "organisations" else lambda g, r, t=table: score_values(t, g, r)
            result = scorer(gold.get(table, []), rows)
            result.false_positives = [(article, *fp) for fp in result.false_positives]
            result.misses = [(article, *m) for m in result.misses]
            scores[table].add(result)
    overall = Score()
    for s in scores.values():
        overall.add(s)
    return {**scores, "overall": overall}


def format_report(scores: dict[str, Score], verbose: bool = False) -> str:
    lines = [f"{'label':14} {'tp':>4} {'fp':>4} {'fn':>4}  {'P':>5} {'R':>5} {'F1':>5}"]
    for name, s in scores.items():
        p, r, f = s.prf
        lines.append(f"{name:14} {s.tp:4} {s.fp:4} {s.fn:4}  {p:5.3f} {r:5.3f} {f:5.3f}")
        if verbose and name != "overall":
            lines += [f"    FP {name}: {fp}" for fp in s.false_positives]
            lines += [f"    FN {name}: {m}" for m in s.misses]
    return "\n".join(lines)
