"""Forms of address a native salesperson uses: the job title tells the gender where the language writes it
so, a Spanish name's first surname is the one addressed, a Hungarian's family name comes first
(names.toml [title_words], [surnames], [order])."""

from __future__ import annotations

import pytest

from triage.names import person


@pytest.mark.parametrize("name, title, lang, gender, last", [
    ("Geneviève Tremblay", "Acheteuse principale", "fr", "f", "Tremblay"),
    ("Carolina Méndez Restrepo", "Coordinadora de Abastecimiento", "es", "f", "Méndez"),
    ("Alejandro Garza Treviño", "Director Comercial", "es", "m", "Garza"),
    ("Roberto de la Fuente", "Comprador", "es", "m", "de la Fuente"),
    ("Sam Taylor", "Director of Purchasing", "en", None, "Taylor"),  # English titles tell nothing
    ("João Pereira da Silva", "", "pt", "m", "Silva"),  # Portuguese: the father's surname comes last
    ("Kim Berger", "Leiterin Einkauf", "de", "f", "Berger"),
])
def test_title_and_surname(name, title, lang, gender, last):
    found = person(name, title, lang)
    assert (found["gender"], found["last_name"]) == (gender, last)


def test_the_greeting_uses_them(tmp_path):
    from triage import draft as drafting

    record = {"category": "genuine", "tier": "B", "language": "fr",
              "contact": {"name": "Geneviève Tremblay", "title": "Acheteuse principale"},
              "sender": {"email": "g.tremblay@boreal.example"}, "request": {}}
    body = drafting.draft_reply(record, drafting_profile()).body
    assert body.startswith("Bonjour Madame Tremblay,")
    record.update(language="es", contact={"name": "Carolina Méndez Restrepo", "title": "Coordinadora"})
    assert drafting.draft_reply(record, drafting_profile()).body.startswith("Estimada Sra. Méndez:")


def drafting_profile():
    from triage.profile import demo_profile_path, load_profile

    return load_profile(demo_profile_path())


@pytest.mark.parametrize("name, lang, country, first, last, gender", [
    ("Szabó Eszter", "en", "HU", "Eszter", "Szabó", "f"),  # a Hungarian writes the family name first
    ("Kovács Péter", "hu", None, "Péter", "Kovács", "m"),
    ("Eszter Szabó", "en", "HU", "Eszter", "Szabó", "f"),  # turned round for abroad: kept as written
    ("Rick Dawson", "en", "US", "Rick", "Dawson", "m"),
])
def test_family_name_first_where_the_buyer_writes_it_so(name, lang, country, first, last, gender):
    found = person(name, "", lang, country)
    assert (found["first_name"], found["last_name"], found["gender"]) == (first, last, gender)


def test_a_hungarian_buyer_writing_in_english_is_greeted_by_the_family_name():
    from triage import draft as drafting

    record = {"category": "genuine", "tier": "B", "language": "en",
              "contact": {"name": "Szabó Eszter", "title": "termékmenedzser"},
              "company": {"country": "HU"}, "sender": {"email": "szabo.eszter@voltpont.example"}, "request": {}}
    body = drafting.draft_reply(record, drafting_profile()).body
    assert body.splitlines()[0] in ("Dear Ms Szabó,", "Hi Eszter,", "Dear Eszter,"), body.splitlines()[0]
    assert "Szabó Eszter," not in body.splitlines()[0]
