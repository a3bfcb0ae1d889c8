"""Extraction errors seen in drafts, on real inputs written in other voices and languages than the
samples (tests/extract_inputs/): a total word that totals a measure is no order total, a place's name
of several words (with its small linking words, or after a word for the site) is kept whole, and a
small count sent by courier, to an office or to test is a sample count, not the order."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage import request, terms
from triage.pipeline import Options, triage_paths
from triage.profile import demo_profile_path, load_profile

INPUTS = Path(__file__).parent / "extract_inputs"


def _request(name: str) -> dict:
    profile = load_profile(demo_profile_path())
    result = triage_paths([str(INPUTS / name)], profile=profile, options=Options(offline=True)).results[0]
    from triage.contract import to_contract

    return to_contract(result.inquiry)["request"]


@pytest.mark.parametrize("name, total", [("total-of-a-measure-en.txt", 4200), ("total-of-a-measure-de.eml", 4800)])
def test_a_total_of_a_measure_is_not_the_order_total(name, total):
    # "Total lumen output", "Total Leistung" stand right under an order line: the lines add up
    assert _request(name)["quantity"] == {"value": total, "unit": "pcs"}


def test_a_total_word_still_states_the_total():
    text = "Sockets: 5,000 pcs\nSwitches: 3,000 pcs\nTotal: 8,000 pcs, one container"
    assert request.quantity(text).value == 8000
    assert request.quantity("Wall plates 4,000 pcs and covers 2,000 pcs, 6,000 pcs in total").value == 6000
    assert request.quantity("GFCI 2,000 pcs\ntotal weight per carton?").value == 2000


@pytest.mark.parametrize("name, place", [
    ("place-of-several-words-es.txt", "Santa Cruz de Tenerife"),
    ("place-of-several-words-pt.txt", "Rio de Janeiro"),
    ("place-after-site-word-fr.txt", "Villeurbanne"),
])
def test_the_destination_is_the_whole_place(name, place):
    assert _request(name)["destination"] == place


@pytest.mark.parametrize("text, place", [
    ("Terms: CFR Dar es Salaam, 30/70 T/T", "Dar es Salaam"),
    ("delivered DDP Frankfurt am Main by March", "Frankfurt am Main"),
    ("DDP our warehouse in Dallas, TX", "Dallas"),
    ("DAP Baustelle Köln bis KW 3", "Köln"),
    ("CIF Hamburg and CIF Rotterdam", "Hamburg"),
    ("CIF Lagos or Apapa", "Lagos"),
])
def test_places_of_several_words_in_a_sentence(text, place):
    assert terms.destination(text) == place


def test_a_sample_count_without_the_word_sample_is_no_order():
    # "4 pièces de chaque ... par DHL à notre bureau pour test": the only count is for samples
    assert _request("sample-count-fr.txt")["quantity"] is None
    # "5 Stück ... per DHL zum Testen", then the order that follows the test
    assert _request("sample-count-de.txt")["quantity"] == {"value": 2500, "unit": "pcs"}


def test_a_small_order_and_a_container_for_a_trial_stay_quantities():
    assert request.quantity("We need 40 pcs of the GFCI for a shop refit").value == 40
    assert request.quantity("começando com 1 contêiner para teste").unit == "containers"


def test_a_word_before_a_quantity_counts_in_its_own_sentence_only():
    # the buyer's chat lines, joined: "mínimo?" asks the MOQ, the next line orders
    text = "Qual é o pedido mínimo?\nOk. 4000 tomadas e 3000 interruptores, CIF Luanda"
    assert request.quantity(text).value == 7000
    assert request.quantity("Samples: 3 pcs. Order 10,000 pcs by March").value == 10000
    assert request.quantity("What is your MOQ 3,000 pcs? Our order is 1,200 pcs").value == 1200


def test_a_quantity_the_buyer_turns_down_is_not_the_order():
    assert request.quantity("Ei 3000 pcs is too much for me. I start with 500 pcs").value == 500
    assert request.quantity("3.000 unidades es demasiado, pediremos 800 unidades").value == 800
