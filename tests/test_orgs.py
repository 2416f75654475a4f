"""Organisation names: cleaning, rejection of what is not a body, and one canonical name per organisation."""
import pytest

from pipeline.organisations import canonical_names, clean_name, is_common_word


@pytest.mark.parametrize("span,name", [
    ("the Department for Work and Pensions", "Department for Work and Pensions"),
    ("BT's", "BT"),
    ("BT’s", "BT"),
    ("BT Group CFO", "BT Group"),
    ("Lancashire County Council Interim", "Lancashire County Council"),
    ("Capita chief executive", "Capita"),
    ('"One Connect"', "One Connect"),
    ("BT Lancashire Services Limited", "BT Lancashire Services Limited"),
    ("QinetiQ", "QinetiQ"),
    ("Health and Safety Executive", "Health and Safety Executive"),
    ("Scottish Executive", "Scottish Executive"),
])
def test_clean_name(span, name):
    assert clean_name(span) == name


@pytest.mark.parametrize("span", [
    "ICT", "IT", "AI", "Government", "the Council", "Department", "Lancashire", "UK", "CEO",
    "Planning and Infrastructure Bill", "Temporary Crisis Framework", "Aberdeen Proving Ground", "2011", "",
    "the government", "European Commissioner", "GSA Administrator", "Business and Trade Secretary",
    "Services Ltd", "HC-130J", "W58RGZ-11-G-0011", "Firm-Fixed-Price", "Chief Executive", "the Chief Executive",
    "Acting Chief Executive", "Interim Director", "GMT", "RFID", "R&B",
])
def test_not_an_organisation(span):
    assert clean_name(span) is None


def test_common_words_are_not_organisations():
    text = "Measures were announced. The measures will wait."
    assert is_common_word("Measures", text) and not is_common_word("Capita", "Capita said")
    assert not is_common_word("BT", "bt")


@pytest.mark.parametrize("names,expected", [
    (["Department for Work and Pensions", "DWP"], {"DWP": "Department for Work and Pensions"}),
    (["One Connect Limited", "One Connect", "OCL"], {"One Connect Limited": "One Connect", "OCL": "One Connect"}),
    (["Capita plc", "Capita"], {"Capita plc": "Capita", "Capita": "Capita"}),
    (["BT", "BT Group", "BT Global Services"], {"BT": "BT Group", "BT Global Services": "BT Global Services"}),
    (["Lancashire County Council", "Lancashire Council"], {"Lancashire Council": "Lancashire County Council"}),
    (["Ministry of Defence", "MoD"], {"MoD": "MoD"}),
    (["Crown Commercial Service", "CCS", "Cabinet Office"], {"CCS": "Crown Commercial Service",
                                                             "Cabinet Office": "Cabinet Office"}),
])
def test_canonical_names(names, expected):
    got = canonical_names(names)
    assert {k: got[k] for k in expected} == expected
    assert len(set(got.values())) <= len(names)
