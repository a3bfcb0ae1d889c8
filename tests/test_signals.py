"""Signals as data: shipped examples, validation, user overrides, the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from triage.errors import DataFileError
from triage.profile import demo_profile_path, load_profile
from triage.judge import load_signals
from triage.judge.examples import example_inquiry, run_examples


@pytest.fixture(scope="module")
def demo():
    return load_profile(demo_profile_path())


def write_user(home: Path, text: str) -> Path:
    path = home / "signals.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_example_fires_and_no_counter_example_does(demo):
    count, failures = run_examples(load_signals(), demo)
    assert count > 300
    assert not failures, "\n".join(map(str, failures))


def test_every_signal_has_description_group_and_examples():
    sset = load_signals()
    names = [s.name for s in sset.signals]
    assert len(names) == len(set(names))
    for sig in sset.signals:
        assert sig.description and sig.examples and sig.counter_examples, sig.name


def test_the_signal_families_the_judge_needs_exist():
    names = {s.name for s in load_signals().signals}
    for name in ("order_value_large", "free_mail_sender", "title_decider", "on_behalf_of_client",
                 "certification_not_held", "quantity_inflated", "lookalike_domain", "auth_failure",
                 "attachment_html", "advance_fee", "overpayment", "bank_change", "full_price_list",
                 "cost_fishing", "seo_pitch", "internal_sender", "history_mass_rfq"):
        assert name in names


def test_hits_carry_evidence(demo):
    sset = load_signals()
    inq, _ = example_inquiry({"from_email": "a@gmail.com", "body": "The vendor registration fee of USD 1,450"})
    hits = {h.name: h for h in sset.evaluate(inq, demo)}
    assert "registration fee" in hits["advance_fee"].evidence
    assert "gmail.com" in hits["free_mail_sender"].evidence


def test_user_file_changes_a_weight_and_says_where(triage_home, demo):
    path = write_user(triage_home, "[weights]\nfree_mail_sender = 0\n")
    sset = load_signals(triage_home)
    sig = sset.get("free_mail_sender")
    assert sig.weight == 0 and sig.shipped_weight == -15
    assert sig.weight_source == str(path)
    inq, _ = example_inquiry({"from_email": "a@gmail.com"})
    assert next(h for h in sset.evaluate(inq, demo) if h.name == "free_mail_sender").weight == 0


def test_user_file_switches_a_signal_off(triage_home, demo):
    write_user(triage_home, '[disabled]\nnames = ["advance_fee"]\n')
    sset = load_signals(triage_home)
    inq, _ = example_inquiry({"body": "The vendor registration fee of USD 1,450"})
    assert "advance_fee" not in {h.name for h in sset.evaluate(inq, demo)}


_CANTON = """
[[signal]]
name = "mentions_canton_fair"
group = "need"
weight = 5
description = "Met us at the Canton Fair"
field = "text"
pattern = "canton fair"
examples = ["we met at the Canton Fair"]
counter_examples = ["we met online"]
"""


def test_user_file_adds_its_own_signal(triage_home, demo):
    write_user(triage_home, _CANTON)
    sset = load_signals(triage_home)
    inq, _ = example_inquiry({"body": "We met at the CANTON FAIR in April"})
    assert "mentions_canton_fair" in {h.name for h in sset.evaluate(inq, demo)}


def test_a_meta_signal_reads_a_later_meta_as_fired(triage_home, demo):
    """none_of names a meta defined after it: evaluate must have decided that one first."""
    write_user(triage_home, _CANTON + '''
[[signal]]
name = "cold_contact"
group = "need"
weight = 1
description = "Writes to us cold"
all_of = ["mentions_canton_fair"]
none_of = ["met_in_person"]
examples = [{}]

[[signal]]
name = "met_in_person"
group = "need"
weight = 1
description = "Met us in person"
all_of = ["mentions_canton_fair"]
examples = [{}]
''')
    sset = load_signals(triage_home)
    inq, _ = example_inquiry({"body": "We met at the Canton Fair in April"})
    fired = {h.name for h in sset.evaluate(inq, demo)}
    assert "met_in_person" in fired and "cold_contact" not in fired


def test_meta_signals_that_refer_to_each_other_in_a_circle_are_rejected(triage_home):
    write_user(triage_home, _CANTON + '''
[[signal]]
name = "chicken"
group = "need"
weight = 1
description = "x"
all_of = ["egg"]
examples = [{}]

[[signal]]
name = "egg"
group = "need"
weight = 1
description = "x"
any_of = ["chicken", "mentions_canton_fair"]
examples = [{}]
''')
    with pytest.raises(DataFileError, match=r"signals.toml.*(chicken|egg).*refers back"):
        load_signals(triage_home)


@pytest.mark.parametrize("text, words", [
    ("[weights]\nno_such_signal = 3\n", ["signals.toml", "no_such_signal"]),
    ("[weights]\nfree_mail_sender = \"high\"\n", ["signals.toml", "free_mail_sender", "number"]),
    ('[disabled]\nnames = ["nope"]\n', ["signals.toml", "nope"]),
    ("[colours]\nx = 1\n", ["signals.toml", "colours"]),
    ("weights = [\n", ["signals.toml", "TOML"]),
    ('[[signal]]\nname = "broken"\ngroup = "need"\nweight = 1\ndescription = "x"\nfield = "text"\n'
     'pattern = "(unclosed"\nexamples = ["x"]\n', ["signals.toml", "broken", "regex"]),
    ('[[signal]]\nname = "odd_group"\ngroup = "karma"\nweight = 1\ndescription = "x"\nfield = "text"\n'
     'pattern = "x"\nexamples = ["x"]\n', ["signals.toml", "odd_group", "group"]),
    ('[[signal]]\nname = "no_check"\ngroup = "need"\nweight = 1\ndescription = "x"\ncheck = "nothing"\n'
     'examples = [{}]\n', ["signals.toml", "no_check", "check"]),
])
def test_invalid_user_file_is_rejected_naming_file_and_signal(triage_home, text, words):
    write_user(triage_home, text)
    with pytest.raises(DataFileError) as err:
        load_signals(triage_home)
    for word in words:
        assert word in str(err.value)


def test_invalid_shipped_file_names_file_and_signal(tmp_path):
    from triage.judge.signals import shipped_dir

    for path in shipped_dir().glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "extra.toml").write_text('[[signal]]\nname = "dup"\ngroup = "need"\nweight = 1\n'
                                         'description = "x"\nall_of = ["ghost"]\nexamples = [{}]\n')
    with pytest.raises(DataFileError, match=r"extra.toml.*dup.*ghost"):
        load_signals(tmp_path, shipped=tmp_path)


def test_cli_lists_signals_with_weights_and_sources(triage_home):
    from triage.cli_signals import signals_cmd

    write_user(triage_home, "[weights]\nurgency = -9\n")
    result = CliRunner().invoke(signals_cmd, [])
    assert result.exit_code == 0
    line = next(l for l in result.output.splitlines() if l.startswith("urgency"))
    assert "-9" in line and "user:signals.toml" in line
    assert "shipped:scam.toml" in result.output


def test_cli_signals_test_passes_and_fails(triage_home):
    from triage.cli_signals import signals_cmd

    ok = CliRunner().invoke(signals_cmd, ["test"])
    assert ok.exit_code == 0 and "0 failed" in ok.output
    write_user(triage_home, '''
[[signal]]
name = "never_fires"
group = "need"
weight = 1
description = "An example that does not match"
field = "text"
pattern = "zzz"
examples = ["abc"]
''')
    bad = CliRunner().invoke(signals_cmd, ["test"])
    assert bad.exit_code == 1 and "never_fires" in bad.output


def test_cli_reports_an_invalid_user_file_in_one_line(triage_home):
    from triage.cli_signals import signals_cmd

    write_user(triage_home, "[weights]\nghost = 1\n")
    result = CliRunner().invoke(signals_cmd, [])
    assert result.exit_code != 0 and "ghost" in result.output




def test_list_suffix_tuple_agrees_with_per_member_test():
    """_run_list's one ``endswith`` with a tuple finds what the per-member loop found."""
    from triage.judge.engine import _dotted_suffixes

    members = frozenset({"gmail.com", "mail.ru", "qq", "yahoo.co.uk", "co"})
    for value in ("gmail.com", "x.gmail.com", "xgmail.com", "a.mail.ru", "qq", "b.qq", "mail.yahoo.co.uk",
                  "co.uk", "x.co", "", "."):
        assert value.endswith(_dotted_suffixes(members)) == any(value.endswith("." + m) for m in members if "." in m)
    assert _dotted_suffixes(frozenset({"qq"})) == ()


def test_protected_set_is_built_as_per_message(demo):
    """The held protected set has the members (and the iteration order) the per-message set had."""
    from triage.judge.facts import profile_domain_tuple as _profile_domain_tuple, protected_set as _protected

    listed = load_signals().lists["protected_domains"]
    held = _protected(listed, _profile_domain_tuple(demo))
    per_message = set(listed) | set(_profile_domain_tuple(demo))
    assert held == per_message and list(held) == list(per_message)
    assert _protected(listed, _profile_domain_tuple(demo)) is held


def test_phishing_affixes_follow_triage_home(tmp_path, monkeypatch):
    """The lookalike check's affixes are those of the enrich data for the current $TRIAGE_HOME."""
    from triage.enrich.domains import phishing_affixes
    from triage.judge.checks.sender import _phishing_affixes

    monkeypatch.setenv("TRIAGE_HOME", str(tmp_path))
    assert _phishing_affixes(str(tmp_path)) == phishing_affixes()
