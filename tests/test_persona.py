"""The persona stage: social style from the new text, lexicons as data, playbooks."""

from __future__ import annotations

import email
import email.policy
import html
import json
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from triage.errors import DataFileError
from triage.persona import (
    PLAYBOOK_SECTIONS,
    STYLES,
    detect_language,
    load_lexicons,
    playbook,
    playbook_summary,
    read_persona,
)

INQUIRIES = Path(__file__).parents[1].parent / "shared" / "inquiries"


@pytest.fixture(scope="module")
def lex(tmp_path_factory):
    return load_lexicons(tmp_path_factory.mktemp("no-overrides"))


# ---------------------------------------------------------------- hand-written texts

DRIVER_EN = """Tom,

Need pricing on 20A GFCI, white, UL listed - 8,000 pcs. FOB Ningbo.
Send unit price, lead time and payment terms by Friday.
No catalog. One price per item.
If you can't make the date, tell me now. Otherwise I place it with the other supplier."""

ANALYTICAL_EN = """Dear Sir or Madam,

we are evaluating suppliers of LED downlights and I would appreciate precise answers to the points below.
1. What is the measured luminous flux of the complete luminaire, and which lab issued the LM-79 report?
2. Is the driver tested to EN 61347? Please send the test report and its date.
3. Which glow-wire rating does the housing material have?
4. What is the tolerance on the cut-out dimension?
If any data is not available, please say so rather than estimate. Written answers are preferred,
as I prepare the technical report for our purchasing manager."""

AMIABLE_EN = """Hello Anna,

I hope you are keeping well, and sorry for the long email! My husband and I run a small family shop,
and this would be our first time importing, so to be honest we are a little nervous.
We had a bad experience with a supplier last year, so we want to be careful this time.
Would it be possible to get a couple of samples first? Maybe you have some customers in Ireland
who could give a reference? There is no rush at all, we will decide together after Christmas.
Thank you so much for your patience, I really appreciate your help."""

EXPRESSIVE_EN = """Hey team!! 👋

I'm Sam, founder of Glowup Home, and we're growing like crazy 🚀 Our launch sold out in 2 weeks!!
We want to build our own brand of premium power strips and honestly your design is amazing.
Big plans for 2027: Europe, the US, everything! I'd love to build something awesome together 🙌
Can we jump on a quick call this week?"""

DRIVER_ES = """Buenos días,

Necesito precio CIF Valparaíso para 5.000 enchufes dobles blancos. Envíe la cotización hoy mismo.
Solo precio, plazo de producción y forma de pago. Sin catálogos.
Si no pueden cumplir el plazo, no respondan. Estoy comparando otros proveedores."""

ANALYTICAL_DE = """Sehr geehrte Damen und Herren,

wir prüfen derzeit eine Zweitquelle für Steckdosen und bitten um Klärung folgender Punkte:
1. Gibt es einen Prüfbericht nach IEC 60884-1? Welches Prüfinstitut, welches Datum?
2. Welcher Werkstoff wird für die Abdeckung verwendet, und wie ist die Glühdrahtprüfung?
3. Für welche Leiterquerschnitte sind die Klemmen ausgelegt?
Sollten einzelne Angaben nicht vorliegen, teilen Sie uns das bitte offen mit.
Die technische Bewertung bereite ich für unsere Einkaufsleitung vor."""

AMIABLE_FR = """Bonjour Madame,

J'espère que vous allez bien. Nous sommes une petite entreprise familiale et c'est notre première
importation, alors je vous avoue que nous sommes un peu prudents. Serait-il possible de recevoir
quelques échantillons ? Si vous avez des références de clients en France, cela rassurerait beaucoup
mon mari, avec qui je dois décider. Merci beaucoup pour votre patience et belle journée !"""

EXPRESSIVE_PT = """Olá pessoal!! Tudo bem? 😀

Aqui é o Bruno, fundador da Casa Viva! Estamos crescendo muito e vamos lançar a NOSSA MARCA própria,
é o sonho da família 🙏 Adorei o acabamento das tomadas, muito bonitas, bem premium mesmo!!
Quero fechar uma parceria de longo prazo com vocês!!! Que tal uma call na semana que vem? 🚀"""


@pytest.mark.parametrize(
    "text, language, expected",
    [
        (DRIVER_EN, "en", "driver"),
        (ANALYTICAL_EN, "en", "analytical"),
        (AMIABLE_EN, "en", "amiable"),
        (EXPRESSIVE_EN, "en", "expressive"),
        (DRIVER_ES, "es", "driver"),
        (ANALYTICAL_DE, "de", "analytical"),
        (AMIABLE_FR, "fr", "amiable"),
        (EXPRESSIVE_PT, "pt", "expressive"),
    ],
)
def test_style_of_hand_written_texts(text, language, expected, lex):
    persona = read_persona(text, language, lexicons=lex)
    assert persona.type == expected, persona.evidence
    assert 0 < persona.confidence <= 1
    assert persona.evidence and all(line.split(":")[0] in STYLES for line in persona.evidence)
    assert persona.advice == playbook_summary(expected, "en")


@pytest.mark.parametrize("text", [DRIVER_EN, ANALYTICAL_EN, AMIABLE_EN, EXPRESSIVE_EN])
def test_axes_place_the_quadrant(text, lex):
    persona = read_persona(text, "en", lexicons=lex)
    tells, emotes = persona.assertiveness > 0, persona.responsiveness > 0
    assert {(True, False): "driver", (False, False): "analytical", (False, True): "amiable",
            (True, True): "expressive"}[(tells, emotes)] == persona.type


def test_evidence_quotes_the_words_that_fired(lex):
    persona = read_persona(DRIVER_EN, "en", lexicons=lex)
    line = next(e for e in persona.evidence if "Friday" in e)
    assert line.startswith("driver: ")
    assert "imperative" in line and "deadline" in line


def test_language_is_detected_when_not_given(lex):
    assert read_persona(ANALYTICAL_DE, None, lexicons=lex).type == "analytical"


# ---------------------------------------------------------------- None


def test_one_liner_is_none(lex):
    persona = read_persona("Please send price list and catalog. Thanks", "en", lexicons=lex)
    assert persona.type is None and persona.confidence <= 0.2


def test_non_genuine_is_none(lex):
    persona = read_persona(DRIVER_EN, "en", genuine=False, lexicons=lex)
    assert persona.type is None and persona.confidence == 0 and persona.advice == []


def test_language_without_lexicon_is_none_with_low_confidence(lex):
    text = ("Dzień dobry, jesteśmy hurtownią elektryczną z Poznania. Prosimy o ofertę na gniazda "
            "Schuko 16A, 5000 szt., CIF Gdynia. Proszę o certyfikaty CE i raporty z badań. "
            "Decyzję podejmie nasz dyrektor w grudniu. Dziękuję bardzo i pozdrawiam serdecznie!")
    persona = read_persona(text, "pl", lexicons=lex)
    assert persona.type is None and persona.confidence <= 0.2
    assert "lexicon" in persona.evidence[0]


def test_formulaic_platform_form_is_none(lex):
    text = ("Dear Sir/Madam,\n\nWe are interested in your products. Please send us your quotation with "
            "specification, price, MOQ and delivery time. Can you make Vietnam plug type?")
    assert read_persona(text, "en", platform_form=True, lexicons=lex).type is None


# ---------------------------------------------------------------- data files


def test_user_lexicon_override_changes_the_outcome(tmp_path):
    text = ("Hello Mia, we would like to order 5,000 sockets for our stores and the timing suits us. "
            "Our buyers are pleased with the samples. Please quote CIF Rotterdam for the white ones. "
            "Zorgpunt, zorgpunt, zorgpunt: sprankel, sprankel.")
    before = read_persona(text, "en", lexicons=load_lexicons(tmp_path))
    (tmp_path / "persona").mkdir()
    (tmp_path / "persona" / "lexicon.en.toml").write_text(
        'language = "en"\nenthusiasm = ["sprankel"]\nvision = ["zorgpunt"]\n', encoding="utf-8")
    after = read_persona(text, "en", lexicons=load_lexicons(tmp_path))
    assert after.type == "expressive" and before.type != "expressive"
    assert any("sprankel" in e.lower() for e in after.evidence)


def test_user_weights_override_changes_the_outcome(tmp_path):
    (tmp_path / "persona").mkdir()
    base = read_persona(DRIVER_EN, "en", lexicons=load_lexicons(tmp_path))
    (tmp_path / "persona" / "weights.toml").write_text(
        "[settings]\nmin_evidence = 500.0\n", encoding="utf-8")
    assert base.type == "driver"
    assert read_persona(DRIVER_EN, "en", lexicons=load_lexicons(tmp_path)).type is None


def test_user_can_remove_shipped_words(tmp_path):
    (tmp_path / "persona").mkdir()
    (tmp_path / "persona" / "lexicon.en.toml").write_text(
        'language = "en"\n[remove]\ndeadline = ["by friday"]\n', encoding="utf-8")
    lexicons = load_lexicons(tmp_path)
    assert "by friday" not in lexicons.languages["en"].words["deadline"]


@pytest.mark.parametrize(
    "name, content, key",
    [
        ("lexicon.en.toml", 'language = "en"\nwarmthh = ["hi"]\n', "warmthh"),
        ("lexicon.en.toml", 'language = "en"\nwarmth = "hi"\n', "warmth"),
        ("lexicon.en.toml", 'language = "en"\nwarmth = ["a*b"]\n', "warmth"),
        ("lexicon.de.toml", 'language = "en"\n', "language"),
        ("weights.toml", "[features.deadline]\nassertiveness = 'high'\n", "features.deadline.assertiveness"),
        ("weights.toml", "[features.nonsense]\nassertiveness = 1\n", "features.nonsense"),
        ("weights.toml", "[settings]\nmin_wordz = 3\n", "settings.min_wordz"),
        ("weights.toml", "[features.emoji]\ncap = 0\n", "features.emoji.cap"),
        ("weights.toml", "[features.emoji\n", "TOML"),
    ],
)
def test_invalid_data_file_is_rejected_naming_file_and_key(tmp_path, name, content, key):
    (tmp_path / "persona").mkdir()
    (tmp_path / "persona" / name).write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_lexicons(tmp_path)
    assert name in str(info.value) and key in str(info.value)


def test_shipped_lexicons_cover_the_buyers_languages(lex):
    assert {"en", "es", "pt", "fr", "de"} <= set(lex.languages)


# ---------------------------------------------------------------- language detection


@pytest.mark.parametrize(
    "text, code",
    [
        (DRIVER_EN, "en"), (DRIVER_ES, "es"), (EXPRESSIVE_PT, "pt"), (AMIABLE_FR, "fr"),
        (ANALYTICAL_DE, "de"),
        ("Buongiorno, siamo un grossista di materiale elettrico e vorremmo il vostro prezzo per le prese.", "it"),
        ("Goedemorgen, wij zijn een groothandel en willen graag een prijs voor de stopcontacten van u.", "nl"),
        ("您好，我们需要报价，请尽快回复，谢谢。我们公司在上海。", "zh"),
        ("12345 67890", None),
    ],
)
def test_detect_language(text, code):
    assert detect_language(text) == code


def test_detect_language_is_fast():
    text = AMIABLE_EN * 3
    detect_language(text)
    start = time.perf_counter()
    for _ in range(200):
        detect_language(text)
    assert (time.perf_counter() - start) / 200 < 0.0005  # 0.1 ms typical; slack for slow CI


def test_read_persona_is_fast(lex):
    texts = [DRIVER_EN, ANALYTICAL_EN, AMIABLE_EN, EXPRESSIVE_EN, DRIVER_ES, ANALYTICAL_DE]
    start = time.perf_counter()
    for _ in range(50):
        for text in texts:
            read_persona(text, None, lexicons=lex)
    assert (time.perf_counter() - start) / 300 < 0.003  # well under 1 ms here; slack for slow CI


# ---------------------------------------------------------------- playbooks


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_playbooks_exist_with_their_sections(style, lang):
    text = playbook(style, lang)
    headings = [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]
    assert headings == list(PLAYBOOK_SECTIONS[lang])
    bullets = playbook_summary(style, lang)
    assert 3 <= len(bullets) <= 5 and all(bullets)
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", text)


def test_unknown_style_is_rejected():
    with pytest.raises(ValueError):
        playbook("owl")


def test_user_playbook_wins(triage_home):
    (triage_home / "persona").mkdir()
    (triage_home / "persona" / "driver.en.md").write_text("# Mine\n\n## In short\n- be quick\n", encoding="utf-8")
    assert playbook_summary("driver") == ["be quick"]


# ---------------------------------------------------------------- the sample inquiries

_QUOTE = re.compile(
    r"^\s*(-{2,}\s*(Original Message|Mensaje original|Mensagem original|Message d'origine"
    r"|Ursprüngliche Nachricht|Forwarded message)|_{8,}\s*$|>"
    r"|(On|El|Em|Le|Am)\b.{0,200}\b(wrote|escribió|escreveu|a écrit|schrieb)\b.{0,40}:\s*$"
    r"|(From|De|Von|Da)\s*:\s.+)", re.I)
_SIGN = re.compile(
    r"^\s*(best|kind|warm|warmest|many|with best)?\s*(regards|wishes|rgds|greetings)\b.{0,20}$"
    r"|^\s*(best|cheers|thanks|thank you|thank you kindly|many thanks|sincerely|yours sincerely"
    r"|yours faithfully|respectfully|talk soon)\s*[,!.]?\s*$"
    r"|^\s*¡?(un |muchos |cordiales )?saludos\b.{0,40}$|^\s*(atentamente|cordialmente)\s*,?\s*$"
    r"|^\s*(bien |très )?cordialement\s*,?\s*$|^\s*(mit )?(freundlichen|besten|viele|beste|liebe) grüßen?\b.{0,10}$"
    r"|^\s*(atenciosamente|cumprimentos)\s*,?\s*$|^\s*(um )?abra[çc]os?\b.{0,20}$|^\s*--\s*$", re.I)
_STAFF = re.compile(r"brightline|kevin wang|lily|cindy", re.I)
_CHAT = re.compile(r"^\[?\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?\]?\s*(?:-\s*)?([^:]{1,60}):\s?(.*)$")
_WECHAT = re.compile(r"^(.{1,60}?)\s+\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}(:\d{2})?\s*$")


def _cut(text: str, from_name: str = "") -> str:
    """Cut quoted history and the signature off a mail body."""
    out: list[str] = []
    first = from_name.split()[0].lower() if from_name.split() else ""
    for line in text.replace("\r\n", "\n").split("\n"):
        low = line.strip().lower()
        if out and (_QUOTE.match(line) or _SIGN.match(line)):
            break
        if out and from_name and (low == from_name.lower() or low == first):
            break
        out.append(line)
    return "\n".join(out).strip()


def _chat_buyer_lines(text: str) -> str | None:
    """The buyer's lines of a WhatsApp/WeChat export, without stamps, names and staff lines."""
    buyer: list[str] = []
    current, stamps = False, 0
    for line in text.splitlines():
        if m := _CHAT.match(line):
            stamps += 1
            current = not _STAFF.search(m.group(1))
            line = m.group(2)
            if "end-to-end" in line:
                continue
        elif w := _WECHAT.match(line):
            stamps += 1
            current = not _STAFF.search(w.group(1))
            continue
        if current and line.strip() and not re.search(r"\.(jpg|pdf|png)\b|<\w+ omitted>|^\[(图片|文件)\]", line):
            buyer.append(line)
    return "\n".join(buyer) if stamps >= 2 else None


def _platform_message(text: str) -> str:
    m = re.search(r"^\s*(Message|Details|Mensaje)\s*:[ \t]*(.*)$", text, re.M)
    if m:
        body = m.group(2) + text[m.end():]
    else:
        m = re.search(r"^\s*(hello|hi|dear|hola|bonjour|olá|guten tag|hallo)\b.*$", text, re.M | re.I)
        body = text[m.start():] if m else text
    body = re.split(r"\n\s*(?:-{10,}|Reply\s{2,}|\[\s*(?:Translate|Reply|Submit)|Contact information will"
                    r"|Buyer Information|Consent:|IP address:|Submitted:)", body)[0]
    return _cut(body)


def new_text(path: Path) -> tuple[str, bool]:
    """(new text, is a platform or web form) of a sample inquiry."""
    if path.suffix == ".eml":
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        part = msg.get_body(preferencelist=("plain", "html"))
        text = part.get_content() if part is not None else ""
        if part is not None and part.get_content_type() == "text/html":
            text = re.sub(r"(?is)<(script|style).*?</\1>", "", text)
            text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>|</li>", "\n", text)
            text = html.unescape(re.sub(r"<[^>]+>", "", text))
        name = str(msg.get("From", "")).split("<")[0].strip().strip('"')
        return _cut(text, name), False
    text = path.read_text(encoding="utf-8", errors="replace")
    chat = _chat_buyer_lines(text)
    return (chat, False) if chat is not None else (_platform_message(text), True)


def _labels() -> list[dict]:
    return json.loads((INQUIRIES / "labels.json").read_text(encoding="utf-8"))


def _bodies_from_helper(label: dict) -> tuple[str, bool]:
    return new_text(INQUIRIES / label["file"])


def _bodies_from_parse_stage(label: dict) -> tuple[str, bool]:
    parse = pytest.importorskip("triage.parse")
    path = INQUIRIES / label["file"]
    if path.suffix == ".eml":
        message = parse.parse_message(path.read_bytes(), path=str(path))
    else:
        message = parse.parse_pasted(path.read_text(encoding="utf-8", errors="replace"), path=str(path))
    return message.body, message.platform not in (None, "whatsapp", "wechat", "linkedin")


needs_inquiries = pytest.mark.skipif(not INQUIRIES.exists(), reason=f"{INQUIRIES} is not beside the checkout")


@needs_inquiries
@pytest.mark.parametrize("source", [_bodies_from_helper, _bodies_from_parse_stage], ids=["helper", "parse"])
def test_accuracy_on_the_sample_inquiries(source, lex):
    confusion: Counter = Counter()
    correct = answered = labelled = 0
    for label in _labels():
        body, form = source(label)
        persona = read_persona(body, None, genuine=label["category"] == "genuine", platform_form=form, lexicons=lex)
        confusion[(label["persona"], persona.type)] += 1
        if label["category"] != "genuine":
            assert persona.type is None, label["file"]
        if persona.type is not None:
            assert persona.evidence, label["file"]
        if label["persona"]:
            labelled += 1
            answered += persona.type is not None
            correct += persona.type == label["persona"]
    report = f"accuracy {correct / labelled:.3f}, coverage {answered / labelled:.3f}, confusion {dict(confusion)}"
    assert correct / labelled >= 0.8, report
    assert answered / labelled >= 0.9, report


def test_hard_wrapped_plain_text_is_read_as_sentences_not_as_short_lines():
    from triage.persona import unwrap

    wrapped = ("We are adding a second source for flush-mounted sockets before the spring\n"
               "season and would like your offer for the items below, with test reports.\n"
               "- Schuko socket 16A\n- power strip")
    assert unwrap(wrapped).split("\n")[0].endswith("with test reports.")
    assert unwrap(wrapped).count("\n") == 2 and len(unwrap(wrapped)) == len(wrapped)
