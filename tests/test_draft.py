"""Reply and follow-up drafts: golden files, template selection, safety of buyer text, .eml replies.

Regenerate the golden files with TRIAGE_UPDATE_GOLDEN=1 pytest tests/test_draft.py,
then read the diff before committing it.
"""

from __future__ import annotations

import email
import os
from datetime import date, datetime, timezone
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage import draft as drafting
from triage import templating
from triage.cli_followup import COMMANDS
from triage.errors import TemplateError
from triage.model import Attachment, Hit, Inquiry, Judgment, Message, Persona, ProductMatch, Quantity
from triage.paths import shipped
from triage.profile import load_profile
from triage.store import Store

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TRIAGE_UPDATE_GOLDEN") == "1"
TODAY = date(2026, 11, 3)
PERSONAS = [None, "driver", "analytical", "amiable", "expressive"]


@pytest.fixture(scope="module")
def profile():
    return load_profile(shipped("playbooks") / "profile.demo.toml")


def inquiry(*, category="genuine", tier="A", persona="driver", lang="en", products=None, quantity=None,
            deadline=None, incoterm=None, certs=(), questions=(), scores=None, enrichment=None, signals=None,
            name="Rick Dawson", company="Brazos Gulf Electric Supply, Inc.", country="US", subject="RFQ",
            sample=False, attachments=(), text=""):
    message = Message(kind="eml", text=text, message_id="<orig-1@buyer.example>", subject=subject,
                      date=datetime(2026, 11, 2, 14, 47, tzinfo=timezone.utc), from_name=name,
                      from_email="buyer@buyer.example", attachments=list(attachments))
    return Inquiry(
        message=message, id=7, sender_name=name, sender_email="buyer@buyer.example", contact_name=name,
        company_name=company, country=country, website="www.buyer.example",
        products=[ProductMatch(sku, n, 90.0, text) for sku, n, text in (products or [])],
        quantity=Quantity(*quantity) if quantity else None, deadline=deadline, incoterm=incoterm,
        certifications=list(certs), questions=list(questions), language=lang, sample_requested=sample,
        enrichment=enrichment or {},
        judgment=Judgment(scores or {"money": 80, "authority": 80, "need": 80, "authenticity": 90}, category, tier,
                          signals or []),
        persona=Persona(persona, 0.8) if persona else None,
    )


GFCI = ("BL-GFCI", "GFCI receptacle 15A/20A", "20A GFCI receptacle")
WRC = ("BL-WRC", "weatherproof receptacle cover, in-use", "in-use weatherproof cover")
AU10 = ("BL-AU10", "Australian 10A GPO", "GPO")
UK13 = ("BL-UK13", "UK 13A switched socket", "BS1363 socket")
DR15 = ("BL-DR15", "duplex receptacle 15A tamper-resistant", "contactos dúplex 15A")
SITE = {"site": {"business_type": "distributor", "city": "Houston", "branches": 14}}

CASES = {
    "genuine-A-driver": dict(products=[GFCI, WRC], quantity=(16000, "pcs"), deadline=date(2026, 11, 6),
                             incoterm="FOB", certs=["UL"], enrichment=SITE,
                             questions=["I need unit price, lead time and payment terms by Friday 11/6."],
                             text="1) 20A GFCI receptacle - 12,000 pcs\n2) in-use weatherproof cover - 4,000 pcs\n"),
    "genuine-A-analytical-ukca": dict(persona="analytical", products=[UK13], quantity=(20000, "pcs"),
                                      country="GB", incoterm="CIF", destination=None,
                                      questions=["Is the socket UKCA marked?", "Can you send the test report?"],
                                      scores={"money": 70, "authority": 40, "need": 80}),
    "genuine-B-amiable": dict(persona="amiable", tier="B", products=[AU10], quantity=(6000, "pcs"),
                              country="AU", incoterm="CIF", deadline=date(2027, 1, 29), sample=True,
                              name="Megan O'Leary", company="Wattlegum Electrical Wholesale Pty Ltd",
                              questions=["Do you have any other customers in Australia we could talk to?"]),
    "genuine-B-expressive-es": dict(persona="expressive", tier="B", lang="es", products=[DR15],
                                    quantity=(25000, "pcs"), incoterm="FOB", country="MX",
                                    name="Alejandro Garza", company="Distribuidora Electro Silla",
                                    questions=["¿Pueden hacer el empaque con nuestra marca?"],
                                    signals=[Hit("branches_many", "money", 2.0, "many branches",
                                                 "12 sucursales")]),
    "genuine-C-thin": dict(persona=None, tier="C", products=[GFCI], name="", company="", country="",
                           scores={"money": 20, "authority": 30, "need": 30}),
    "genuine-D-not-ours": dict(persona=None, tier="D", products=[("", "solar inverter 5kW", "")]),
    "competitor": dict(category="competitor", tier="D", persona=None, products=[GFCI, WRC]),
    "genuine-fr-fallback": dict(persona="driver", tier="B", lang="fr", products=[GFCI], quantity=(4000, "pcs")),
    "genuine-de-cif": dict(persona="analytical", tier="B", lang="de", products=[("BL-EU16", "Schuko socket 16A (EU)",
                           "Schutzkontakt-Steckdose")], quantity=(10000, "pcs"), incoterm="CIF", country="DE",
                           name="Jürgen Brandt", company="EHR Elektrohandel GmbH", certs=["CE"],
                           questions=["Welche Zahlungsbedingungen bieten Sie an?", "Glühdrahtprüfung bei 850 °C?"]),
    "genuine-pt-below-moq": dict(persona="amiable", tier="C", lang="pt", products=[GFCI], quantity=(800, "pcs"),
                                 country="BR", name="Ana Souza", company="Casa Elétrica Ltda."),
    "genuine-ru": dict(persona=None, tier="B", lang="ru", products=[GFCI], quantity=(6000, "pcs"), country="RU",
                       name="Иван Петров", company="ООО Электро"),
    "genuine-ar": dict(persona=None, tier="B", lang="ar", products=[UK13], quantity=(9000, "pcs"), country="AE",
                       incoterm="CFR", name="Ahmed Al Mansouri", company="Gulf Lights LLC"),
    "genuine-zh": dict(persona=None, tier="B", lang="zh", products=[GFCI], quantity=(3000, "pcs"), country="HK",
                       name="", company=""),
}
CASES["genuine-D-not-ours"]["products"] = []


def make(case: str) -> Inquiry:
    kw = dict(CASES[case])
    kw.pop("destination", None)
    return inquiry(**kw)


def check_golden(name: str, text: str) -> None:
    """The draft equals its golden file; a missing golden fails. TRIAGE_UPDATE_GOLDEN=1 (read here,
    by the tests only) writes them: read the diff before committing it."""
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing (TRIAGE_UPDATE_GOLDEN=1 pytest tests/test_draft.py writes it)"
    assert text == path.read_text(encoding="utf-8"), f"{path} differs (TRIAGE_UPDATE_GOLDEN=1 to regenerate)"


def record(inq):
    return drafting.record_and_text(inq)[0]


def shown(d) -> str:
    notes = "".join(f"note: {n}\n" for n in d.notes)
    return f"template: {d.template}\nsubject: {d.subject}\n{notes}\n{d.body}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_reply_golden(case, profile):
    check_golden(f"reply-{case}", shown(drafting.draft_reply(make(case), profile, today=TODAY)))


@pytest.mark.parametrize("purpose,persona,lang", [
    ("samples", None, "en"), ("certificate", "analytical", "en"), ("price_break", "driver", "en"),
    ("case_study", "expressive", "en"), ("season", "amiable", "en"), ("season", "expressive", "es"),
])
def test_followup_golden(purpose, persona, lang, profile):
    base = make("genuine-A-driver")
    base.persona = Persona(persona, 0.8) if persona else None
    base.language = lang
    rec = record(base)
    rec["followups"] = [{"step": 2, "due": "2026-11-10", "purpose": purpose}]
    d = drafting.draft_followup(rec, 2, profile, today=TODAY)
    check_golden(f"followup-{purpose}-{persona or 'none'}-{lang}", shown(d))


def test_the_draft_is_salesperson_b(profile):
    d = drafting.draft_reply(make("genuine-A-driver"), profile, today=TODAY)
    body = d.body
    for fact in ("BL-GFCI", "BL-WRC", "12,000 pcs at USD 4.24/pc", "4,000 pcs at USD 2.29/pc", "Total: 16,000 pcs, USD 60,040.00", "FOB Ningbo", "25-35 days", "30% T/T", "14 branches",
                 "UL"):
        assert fact in body, fact
    assert "USD 3.80" not in body  # never the floor price
    assert "Payment:" in body and "Lead time:" in body  # the questions asked are answered


def test_not_held_certification_is_said_honestly(profile):
    body = drafting.draft_reply(make("genuine-A-analytical-ukca"), profile, today=TODAY).body
    assert "UKCA: we do not hold UKCA for BL-UK13 yet (BL-UK13: CE)" in body
    assert "Who else will take part" in body  # weak authority -> who decides
    assert "<<to fill: answer to \"Can you send the test report?\">>" in body or "test report" in body


def test_thin_inquiry_asks_qualifying_questions(profile):
    body = drafting.draft_reply(make("genuine-C-thin"), profile, today=TODAY).body
    assert body.count("?") >= 2 and "What quantity" in body


def test_competitor_gets_the_price_at_moq_only(profile):
    body = drafting.draft_reply(make("competitor"), profile, today=TODAY).body
    assert "USD 4.60/pc at the MOQ of 2,000 pcs" in body
    assert "USD 4.24" not in body and "USD 3.80" not in body and "from 6,000" not in body


@pytest.mark.parametrize("category", ["phishing", "scam", "spam", "not_inquiry"])
def test_no_draft_for_bad_mail(category, profile):
    assert drafting.draft_reply(inquiry(category=category, tier="D", persona=None), profile) is None


def test_warning_gives_reasons_and_what_not_to_do():
    hits = [Hit("lookalike_domain", "phishing", 3.0, "sender domain imitates a platform", "aIibaba.com"),
            Hit("login_link", "phishing", 2.5, "link asks to sign in on another host", "inquiry-center.top")]
    phish = inquiry(category="phishing", tier="D", persona=None, signals=hits,
                    attachments=[Attachment("RFQ.html", "text/html", 2000)])
    lines = drafting.warning(phish)
    assert lines[0].startswith("Phishing") and "aIibaba.com" in lines[1]
    assert any("Do not open the attachment (RFQ.html)" in line for line in lines)
    assert any("log in" in line for line in lines)
    scam = drafting.warning(inquiry(category="scam", tier="D", persona=None))
    assert any("fee" in line for line in scam) and any("free samples" in line for line in scam)
    assert drafting.warning(make("genuine-A-driver")) == []


def test_buyer_jinja_syntax_stays_literal(profile):
    evil = ["Price for {{ 7*7 }} pcs?", "{% for x in range(3) %}loop{% endfor %} {{ config }}"]
    inq = inquiry(persona="analytical", products=[(GFCI[0], GFCI[1], "{{ 7*7 }} GFCI")], questions=evil,
                  name="{{ seller }}", company="{% raw %}Acme")
    body = drafting.draft_reply(inq, profile, today=TODAY).body
    assert "{{ 7*7 }}" in body and "49" not in body
    assert "{% for x in range(3) %}loop{% endfor %} {{ config }}" in body
    assert "{{ seller }}" in body


def test_language_fallback_notes_english(profile):
    kw = dict(CASES["genuine-fr-fallback"], lang="it")
    d = drafting.draft_reply(inquiry(**kw), profile, today=TODAY)
    assert d.language == "en" and any("'it'" in n for n in d.notes)
    fr = drafting.draft_reply(make("genuine-fr-fallback"), profile, today=TODAY)
    assert fr.language == "fr" and fr.body.startswith("Bonjour Monsieur Dawson,")
    with pytest.raises(TemplateError, match="no drafts in 'xx'"):
        templating.check_language("xx")


def test_selection_order():
    assert drafting.reply_names("genuine", "C", "driver") == [
        "reply-genuine-C-driver", "reply-genuine-C", "reply-genuine-driver", "reply-genuine", "reply"]
    assert drafting.followup_names("samples", "amiable") == [
        "followup-samples-amiable", "followup-samples", "followup-amiable", "followup"]


def test_user_template_wins_and_can_extend_the_default(profile, triage_home):
    user = triage_home / "templates"
    user.mkdir(parents=True)
    (user / "reply-genuine-C.j2").write_text(
        '{% extends "default:reply-genuine-C.j2" %}{% block signature %}Lisa (mobile +86 138){% endblock %}')
    (user / "reply-genuine-amiable.j2").write_text("Hi {{ buyer.first_name }}, {{ no_such_variable }}")
    d = drafting.draft_reply(make("genuine-C-thin"), profile, today=TODAY)
    assert d.template == "reply-genuine-C.j2" and d.body.rstrip().endswith("Lisa (mobile +86 138)")
    assert "MOQ 2,000 pcs" in d.body
    with pytest.raises(TemplateError, match="no_such_variable"):
        drafting.draft_reply(make("genuine-B-amiable"), profile, today=TODAY)


def test_a_user_phrase_overrides_the_shipped_one(profile, triage_home):
    user = triage_home / "templates" / "de"
    user.mkdir(parents=True)
    (user / "phrases.toml").write_text('[close]\nregards = "Beste Grüße aus Ningbo"\n', encoding="utf-8")
    kw = dict(CASES["genuine-A-driver"], lang="de", name="Jürgen Brandt")
    body = drafting.draft_reply(inquiry(**kw), profile, today=TODAY).body
    assert body.startswith("Sehr geehrter Herr Brandt,") and "Beste Grüße aus Ningbo" in body


def test_an_edited_user_template_is_used_on_the_next_draft(profile, triage_home):
    """Templates reload when their file changes."""
    user = triage_home / "templates"
    user.mkdir(parents=True)
    template = user / "reply-genuine-C.j2"
    template.write_text("First wording for {{ buyer.first_name }}.")
    assert drafting.draft_reply(make("genuine-C-thin"), profile, today=TODAY).body.startswith("First wording")
    template.write_text("Second wording for {{ buyer.first_name }}.")
    os.utime(template, (template.stat().st_mtime + 5,) * 2)  # a later modification time, whatever the clock
    assert drafting.draft_reply(make("genuine-C-thin"), profile, today=TODAY).body.startswith("Second wording")


def test_a_user_template_or_phrase_added_later_is_used_on_the_next_draft(profile, triage_home):
    """The names a draft may use are listed again when a template directory changes."""
    user = triage_home / "templates"
    user.mkdir(parents=True)
    first = drafting.draft_reply(make("genuine-C-thin"), profile, today=TODAY)
    assert first.template == "reply-genuine-C.j2" and not first.body.startswith("Added later")
    (user / "reply-genuine-C.j2").write_text("Added later for {{ buyer.first_name }}.")
    later = user.stat().st_mtime + 5  # a later modification time, whatever the clock's grain
    os.utime(user, (later, later))
    assert drafting.draft_reply(make("genuine-C-thin"), profile, today=TODAY).body.startswith("Added later")

    (user / "de").mkdir()
    os.utime(user, (later + 5, later + 5))
    kw = dict(CASES["genuine-A-driver"], lang="de", name="Jürgen Brandt")
    assert "Beste Grüße aus Ningbo" not in drafting.draft_reply(inquiry(**kw), profile, today=TODAY).body
    phrases = user / "de" / "phrases.toml"
    phrases.write_text('[close]\nregards = "Beste Grüße aus Ningbo"\n', encoding="utf-8")
    os.utime(user / "de", (later + 10, later + 10))
    assert "Beste Grüße aus Ningbo" in drafting.draft_reply(inquiry(**kw), profile, today=TODAY).body
    phrases.write_text('[close]\nregards = "Viele Grüße aus Ningbo"\n', encoding="utf-8")
    os.utime(phrases, (later + 15, later + 15))
    assert "Viele Grüße aus Ningbo" in drafting.draft_reply(inquiry(**kw), profile, today=TODAY).body


def test_every_shipped_template_renders_in_every_language(profile):
    used = set()
    for lang in templating.languages():
        for category, tiers in (("genuine", "ABCD"), ("competitor", "D")):
            for tier in tiers:
                for persona in PERSONAS:
                    for case in ("genuine-A-driver", "genuine-C-thin", "genuine-D-not-ours"):
                        kw = dict(CASES[case], category=category, tier=tier, persona=persona, lang=lang)
                        kw.pop("destination", None)
                        d = drafting.draft_reply(inquiry(**kw), profile, today=TODAY)
                        assert d.body.strip() and "None" not in d.body and d.language == lang
                        used.add(d.template)
                    for purpose in ("samples", "certificate", "case_study", "price_break", "season"):
                        if category != "genuine":
                            continue
                        rec = record(inquiry(**dict(CASES["genuine-A-driver"], tier=tier, persona=persona, lang=lang)))
                        rec["followups"] = [{"step": 1, "due": "2026-11-05", "purpose": purpose}]
                        d = drafting.draft_followup(rec, 1, profile, today=TODAY)
                        assert d.body.strip() and "None" not in d.body
                        used.add(d.template)
    assert len(templating.languages()) >= 8


def test_draft_command_writes_a_threaded_reply(tmp_path, triage_home):
    original = tmp_path / "rfq.eml"
    original.write_text(
        "From: Rick Dawson <rdawson@brazos.example>\nReply-To: purchasing@brazos.example\n"
        "To: sales@brightline-electrical.com\nSubject: RFQ - GFCI\nMessage-ID: <orig-9@brazos.example>\n"
        "References: <older-1@brazos.example>\n\nNeed 12,000 GFCI, FOB Ningbo.\n")
    rec = record(make("genuine-A-driver"))
    rec["source"].update(path=str(original), message_id="<orig-9@brazos.example>", subject="RFQ - GFCI")
    with Store(tmp_path / "t.db") as store:
        ident = store.save({"dedupe_key": "k", "source_kind": "eml", "subject": "RFQ - GFCI", "category": "genuine",
                            "tier": "A", "record": rec}).id
    out_path = tmp_path / "reply.eml"
    draft = {c.name: c for c in COMMANDS}["draft"]
    result = CliRunner().invoke(draft, [str(ident), "--eml", str(out_path), "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Subject: Re: RFQ - GFCI")
    msg = email.message_from_bytes(out_path.read_bytes(), policy=policy.default)
    assert msg["To"] == "purchasing@brazos.example"
    assert msg["From"] == "Lisa Chen <sales@brightline-electrical.com>"
    assert msg["Subject"] == "Re: RFQ - GFCI"
    assert msg["In-Reply-To"] == "<orig-9@brazos.example>"
    assert msg["X-Unsent"] == "1"
    assert msg["References"] == "<older-1@brazos.example> <orig-9@brazos.example>"
    assert "BL-GFCI" in msg.get_content()


def test_untrusted_reply_to_falls_back_to_from():
    rec = record(inquiry(category="competitor", tier="D", persona=None))
    rec["thread"]["reply_to"] = ["someone@gmail.example"]
    assert drafting.reply_address(rec) == "buyer@buyer.example"
    rec["category"] = "genuine"
    assert drafting.reply_address(rec) == "someone@gmail.example"
    rec["signals"] = [{"name": "reply_to_differs", "weight": -20}]  # declares distrust_reply_to
    assert drafting.reply_address(rec) == "buyer@buyer.example"


def test_never_a_no_reply_or_platform_address():
    rec = record(inquiry())
    rec["sender"]["email"] = "no-reply@service.alibaba.com"
    assert drafting.reply_address(rec) == ""
    rec["thread"]["reply_to"] = ["buyer@buyer.example"]
    assert drafting.reply_address(rec) == "buyer@buyer.example"
