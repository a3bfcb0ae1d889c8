"""No template text reaches the buyer: every inquiry of ../shared/inquiries, the hand-written corpus
(bench/corpus/written/**, each trade with its own profile) and examples/ is drafted in the buyer's
language and in every shipped language, and each draft is read for leftovers (triage.draftcheck)."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage import draft as drafting
from triage import templating
from triage.draftcheck import foreign, leftovers
from triage.inputs import items
from triage.pipeline import Options, triage_items
from triage.profile import demo_profile_path, load_profile

from conftest import INQUIRIES

ROOT = Path(__file__).resolve().parents[1]
WRITTEN = sorted(p for p in (ROOT / "bench" / "corpus" / "written").iterdir() if p.is_dir())
SOURCES = [pytest.param(INQUIRIES, marks=pytest.mark.skipif(not INQUIRIES.exists(),
                                                            reason=f"{INQUIRIES} is not beside the checkout"),
                        id="shared-inquiries"),
           pytest.param(ROOT / "examples", id="examples"),
           *(pytest.param(p, id=f"written-{p.name}") for p in WRITTEN)]


def _names(profile, inquiry) -> list[str]:
    """Names that stay in their own language in any draft: ours, the buyer's, the catalogue's, and the
    buyer's place as they wrote it ("CIF الدمام")."""
    names = [profile.company.get("name", ""), profile.name, inquiry.contact_name or "",
             inquiry.company_name or "", inquiry.sender_name or "", inquiry.destination or ""]
    for product in profile.products:
        names += [product.sku, product.name, *product.aliases]
    return names + [m.text or "" for m in inquiry.products] + [m.name or "" for m in inquiry.products]


def _problems(draft, profile, inquiry, env) -> list[str]:
    t = templating.phrases(env, draft.language)
    return leftovers(draft.body, draft.language, greetings=t["greet"].values(), ignore=_names(profile, inquiry),
                     doubled_ok=t.get("doubled_ok", []))


@pytest.mark.slow
@pytest.mark.parametrize("directory", SOURCES)
def test_no_draft_carries_template_leftovers(directory):
    profile_file = directory / "profile.toml"
    profile = load_profile(profile_file if profile_file.exists() else demo_profile_path())
    batch = triage_items(items([str(directory)]), profile, Options(offline=True))
    env = templating.default_environment()
    found, drafted = [], 0
    for result in batch.results:
        inquiry = result.inquiry
        if inquiry.draft is None:
            continue
        drafts = [inquiry.draft] + [drafting.draft_reply(inquiry, profile, lang=lang, env=env)
                                    for lang in templating.languages(env)]
        for draft in drafts:
            drafted += 1
            found += [f"{inquiry.message.path} [{draft.language}] {p}" for p in _problems(draft, profile, inquiry, env)]
    assert drafted >= 2 * len(templating.languages(env)), f"only {drafted} drafts from {directory}"
    assert not found, "\n".join(found[:40])


@pytest.mark.parametrize("body,what", [
    ("Dear Mr Dawson,\n\nPrice: {{ price }} per pc.\n", "unrendered Jinja"),
    ("Dear Mr Dawson,\n\nYour company None will get it.\n", "a Python value as text"),
    ("Dear Mr Dawson,\n\nCertificates: [].\n", "a Python value as text"),
    ("Dear Mr Dawson,\n\nPrice: nan per pc.\n", "a Python value as text"),
    ("Dear Mr Dawson,\n\nWe do not hold CE for  yet.\n", "a doubled space"),
    ("Dear Mr Dawson,\n\nThe price is is firm.\n", "a doubled word"),
    ("Dear Mr Dawson,\n\nThe price is firm,, really.\n", "doubled punctuation"),
    ("Dear Mr ,\n\nThe price is firm.\n", "a greeting with no name"),
    ("Dear Mr Dawson,\n\nSamples: [attach or confirm availability]\n", "a placeholder"),
    ("Dear Mr Dawson,\n\nSamples: <samples here>\n", "a placeholder"),
    ("Dear Mr Dawson,\n\nWir senden Ihnen die Muster mit der Rechnung, sobald sie fertig sind.\n", "a line in de"),
])
def test_the_check_finds_each_leftover(body, what):
    problems = leftovers(body, "en", greetings=["Dear Mr {last},"])
    assert any(p.startswith(what) for p in problems), problems


def test_the_sanctioned_marker_and_quoted_buyer_words_pass():
    body = ('Dear Mr Dawson,\n\n1. "¿Pueden hacer el empaque con nuestra marca?"\n'
            '<<to fill: answer to "¿Pueden hacer el empaque con nuestra marca?">>\n')
    assert leftovers(body, "en", greetings=["Dear Mr {last},"]) == []


def test_languages_told_apart_by_stopwords_and_script():
    assert foreign("Thank you for your inquiry, we will send the price list.", "de") == "en"
    assert foreign("Vielen Dank für Ihre Anfrage, wir senden Ihnen die Preisliste.", "de") is None
    assert foreign("感谢您的询价，我们会尽快报价。", "en") == "zh"
    assert foreign("¿A qué puerto o ciudad le cotizo?", "es") is None  # words Portuguese shares don't decide
