"""Follow-up plans: cadence data (validated, overridable) shapes the steps by tier and persona."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from triage.errors import DataFileError
from triage.followup import load_cadence, parse_cadence, plan_followups, schedule

START = date(2026, 11, 2)


def rec(tier="A", persona=None, category="genuine"):
    return {"category": category, "tier": tier, "persona": {"type": persona} if persona else None}


def test_step_zero_is_the_reply_and_every_step_brings_something():
    plan = plan_followups(rec("B"), start=START)
    assert plan[0].step == 0 and plan[0].purpose == "reply" and plan[0].due == START
    purposes = [f.purpose for f in plan[1:]]
    assert len(set(purposes)) == len(purposes) and "checking_in" not in purposes
    assert [f.due for f in plan] == sorted(f.due for f in plan)


def test_a_is_sooner_and_more_persistent_than_c():
    a, c = plan_followups(rec("A"), start=START), plan_followups(rec("C"), start=START)
    assert len(a) > len(c) and a[1].due < c[1].due


def test_persona_bends_the_tier_plan():
    cadence = load_cadence()
    driver, amiable = schedule(cadence, "A", "driver"), schedule(cadence, "A", "amiable")
    assert len(driver) <= 3 and driver[-1][0] < amiable[len(driver) - 1][0]
    assert driver[0][1] == "price_break" and amiable[0][1] == "samples"
    analytical = schedule(cadence, "B", "analytical")
    assert analytical[0][1] == "certificate"


@pytest.mark.parametrize("category,tier", [("genuine", "D"), ("phishing", "D"), ("competitor", "D"),
                                           ("spam", "D")])
def test_no_plan_for_d_and_non_genuine(category, tier):
    assert plan_followups(rec(tier, category=category), start=START) == []


def test_user_override_by_key(triage_home):
    (triage_home / "cadence.toml").write_text("[tiers.C]\ndays = [1, 2]\n")
    plan = plan_followups(rec("C"), start=START)
    assert [f.due - START for f in plan[1:]] == [timedelta(days=1), timedelta(days=2)]


@pytest.mark.parametrize("bad,message", [
    ({"tiers": {"A": {"days": [5, 2], "purposes": ["samples", "season"]}}}, "tiers.A.days must be strictly"),
    ({"tiers": {"A": {"days": [2], "purposes": ["checking_in"]}}}, "tiers.A.purposes: unknown purpose 'checking_in'"),
    ({"tiers": {"A": {"days": [1, 2, 3], "purposes": ["samples"]}}}, "at least one purpose per day"),
    ({"personas": {"driver": {"scale": "fast"}}}, "personas.driver.scale"),
    ({"purposes": {"samples": {"label": ""}}}, "purposes.samples.label"),
])
def test_invalid_cadence_names_file_and_key(bad, message, tmp_path):
    good = {
        "purposes": {"samples": {"label": "s"}, "season": {"label": "t"}},
        "tiers": {t: {"days": [1], "purposes": ["samples"]} for t in "ABC"},
        "personas": {},
    }
    for key, value in bad.items():
        good[key] = {**good[key], **value}
    with pytest.raises(DataFileError, match=message) as err:
        parse_cadence(good, "x/cadence.toml")
    assert "x/cadence.toml" in str(err.value)


def test_broken_user_file_is_a_data_file_error(triage_home):
    (triage_home / "cadence.toml").write_text("[tiers.A\n")
    with pytest.raises(DataFileError, match="cadence.toml"):
        load_cadence()
