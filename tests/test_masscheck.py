"""Mass-check regression: the issue-15 figures on real and hand-written mail, offline (~30 s).

Floors for bench/corpus/written were measured on 2026-12-07 after the signals for the sample scam,
supplier pitches, memos, asks in the buyers' languages and colleagues' forwards (electrical category
0.915, 0 fakes as genuine, 5 genuine lost; furniture 0.950, 0, 0; textile 0.947, 0, 0; voices 0.958, 0, 0; before
them electrical 0.862, 3, 9, furniture 0.750, 0, 3, textile 0.842, 1, 1) and are set a small margin
below the category figure, at the counts themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPORA, INQUIRIES, needs_shared
from triage.evaluate import evaluate, evaluate_expect
from triage.profile import demo_profile_path, load_profile

WRITTEN = Path(__file__).resolve().parents[1] / "bench" / "corpus" / "written"


@pytest.fixture(scope="module")
def demo():
    return load_profile(demo_profile_path())


@needs_shared(CORPORA / "phishing_pot")
def test_real_phishing_is_not_genuine_and_never_a_or_b(demo):
    report = evaluate_expect(CORPORA / "phishing_pot", "not-genuine", profile=demo)
    assert report.n > 1000
    assert report.share >= 0.99, report.misses
    assert report.tiers["A"] == report.tiers["B"] == 0


@needs_shared(CORPORA)
def test_ordinary_mail_is_not_genuine_and_never_a_or_b(demo):
    met = n = ab = 0
    for folder in sorted(p for p in CORPORA.iterdir() if p.is_dir() and p.name != "phishing_pot"):
        report = evaluate_expect(folder, "not-genuine", profile=demo)
        met, n, ab = met + report.met, n + report.n, ab + report.tiers["A"] + report.tiers["B"]
    assert n > 1000
    assert met / n >= 0.99
    assert ab == 0


@needs_shared(INQUIRIES)
def test_the_labelled_inquiries(demo):
    figures = evaluate(INQUIRIES, profile=demo).figures()
    assert figures["category_accuracy"] >= 0.98
    assert figures["non_genuine_as_genuine_or_ab"] == 0
    assert figures["genuine_as_not_genuine_or_d"] <= 1


@pytest.mark.parametrize("trade, category, leaks, losses", [
    ("electrical", 0.90, 0, 5),
    ("furniture", 0.94, 0, 0),
    ("textile", 0.94, 0, 0),
    ("voices", 0.95, 0, 0),
])
def test_the_hand_written_corpus_stays_above_its_floor(demo, trade, category, leaks, losses):
    own = WRITTEN / trade / "profile.toml"
    figures = evaluate(WRITTEN / trade, profile=load_profile(own) if own.exists() else demo).figures()
    assert figures["category_accuracy"] >= category
    assert figures["non_genuine_as_genuine_or_ab"] <= leaks
    assert figures["genuine_as_not_genuine_or_d"] <= losses


def test_expect_counts_a_directory_against_its_expectation(tmp_path, demo):
    # two buyer inquiries and one ordinary mail of the hand-written corpus, judged against both expectations
    for name in ("g001.eml", "g002.eml", "n001.eml"):
        (tmp_path / name).write_bytes((WRITTEN / "electrical" / name).read_bytes())
    not_genuine = evaluate_expect(tmp_path, "not-genuine", profile=demo)
    genuine = evaluate_expect(tmp_path, "genuine", profile=demo)
    assert not_genuine.n == genuine.n == 3
    assert genuine.met == 2 and not_genuine.met == 1
    assert genuine.misses == ["n001.eml: not_inquiry/D"]
    assert sorted(m.split(":")[0] for m in not_genuine.misses) == ["g001.eml", "g002.eml"]
