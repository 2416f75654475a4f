"""The labels, each described once: its typed table and columns, the spaCy component that gives its mentions
their values, the model's label read as it, and its colour. ``schema.TABLES``, the rule labels, the report,
the scores and the pipeline's stages are all derived from ``LABELS``.

>>> [label.table for label in LABELS]
['organisations', 'money', 'percentages', 'durations', 'dates']
>>> BY_NAME["MONEY"].normaliser, BY_NAME["DURATION"].model_label
('contract_money', None)
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

DATE = pa.date32()  # a calendar date
CODE = pa.dictionary(pa.int32(), pa.string())  # a code with few distinct values (pandas: a categorical)


@dataclass(frozen=True)
class Label:
    name: str
    table: str  # the typed table of its mentions
    columns: tuple[tuple[str, pa.DataType], ...]  # that table's columns after the key and the mention's text
    normaliser: str  # the spaCy factory that sets these columns on each mention (span._.amount, ...)
    model_label: str | None  # the model's (OntoNotes) label taken as this one
    colour: str  # displaCy's colour for it, in the report

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)


# In pipeline order: the organisation stage drops the spans that are no organisation, and the money
# normaliser the amounts without a number; the later normalisers keep every mention.
LABELS = (
    Label(
        "ORG",
        "organisations",
        (("name", pa.string()), ("canonical", pa.string()), ("entity", pa.string())),
        "contract_organisations",
        "ORG",
        "#7aecec",
    ),
    Label(
        "MONEY",
        "money",
        (
            ("amount", pa.float64()),
            ("currency", CODE),
            ("currency_inferred", pa.bool_()),
            ("qualifier", CODE),
            ("restates", pa.int64()),
            ("converted_amount", pa.float64()),
            ("converted_currency", CODE),
            ("rate_date", DATE),
        ),
        "contract_money",
        "MONEY",
        "#bfeeb7",
    ),
    Label(
        "PERCENT",
        "percentages",
        (("value", pa.float64()), ("qualifier", CODE)),
        "contract_percent",
        "PERCENT",
        "#ffe680",
    ),
    Label(
        "DURATION",
        "durations",
        (("iso", pa.string()), ("value", pa.float64()), ("unit", CODE), ("qualifier", CODE)),
        "contract_duration",
        None,
        "#d9c9ff",
    ),
    Label(
        "DATE",
        "dates",
        (("value", pa.string()), ("start", DATE), ("end", DATE), ("grain", CODE), ("relative", pa.bool_())),
        "contract_date",
        "DATE",
        "#feca74",
    ),
)
BY_NAME = {label.name: label for label in LABELS}
NAMES = tuple(BY_NAME)
VALUE_LABELS = frozenset(NAMES) - {"ORG"}
