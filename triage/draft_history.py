"""What the conversation so far tells the draft: the thread's facts (in a thread, closing, samples
already done), the questions a chat already settled, the prices offered earlier in the quoted
history, the buyer's own lines of a chat and the quantity a thread agreed on.

Split from draft.py, whose build_context reads these; pure functions of the record and its text.
"""

from __future__ import annotations

import re
from typing import Any

from triage.matching import aligned_lower


def thread_facts(record: dict[str, Any], text: str) -> dict[str, Any]:
    """What the thread already settled: the buyer closing, samples they have, prices offered before."""
    from triage.answers import said

    thread = record.get("thread") or {}
    quoted = str(thread.get("quoted") or "")
    new = str(thread.get("new_text") or "") or (text[: len(text) - len(quoted)] if quoted and quoted in text else text)
    quoted = quoted or str(thread.get("history") or "")  # a conversation the store knows (triage.thread)
    in_thread = bool(quoted.strip() or thread.get("in_reply_to"))
    return {
        "in_thread": in_thread,
        "closing": said(new, "closing") if in_thread or said(new, "closing") in ("proforma invoice", "send the pi") else None,
        "samples_done": said(f"{text}\n{thread.get('history') or ''}", "samples_done"),
        "quoted": quoted,
    }


def settled_in_chat(questions: list[str], turns: list[tuple[str, str, str]] | None,
                    ours: set[str]) -> dict[str, str]:
    """The buyer's chat questions our side already answered, each with that reply: {question: reply}.

    In a chat the turns stand in order (``chat_turns``; ``ours`` are our speakers). A question is settled
    when our turns right after the buyer's turn that asks it are about the same thing (a topic of
    topics.toml in common, or a figure-bearing word such as "IP44" or "16A") and do not put the answer
    off ("let me check", thread.toml [deferred]); a question nobody on our side took up stays open."""
    if not turns or not ours or not questions:
        return {}
    out: dict[str, str] = {}
    for question in questions:
        asked_at = next((i for i, t in enumerate(turns) if t[0] not in ours and question in t[2]), None)
        if asked_at is None:
            continue
        reply = _our_reply(turns, asked_at, ours)
        if reply and _takes_up(question, reply):
            out[question] = reply
    return out


def chat_turns(record: dict[str, Any], text: str) -> list[tuple[str, str, str]] | None:
    """The chat's turns in order, (speaker, time, words): those the record carries (thread.chat, kept by
    the contract), else the message text read as a chat; None when it is no chat."""
    from triage.mailtext import parse_chat

    stored = (record.get("thread") or {}).get("chat")
    if stored:
        return [(str(t.get("who") or ""), str(t.get("at") or ""), str(t.get("text") or "")) for t in stored]
    chat = parse_chat(text or "")
    return chat.turns if chat else None


def our_speakers(record: dict[str, Any], thread: dict[str, Any]) -> set[str]:
    """Who speaks for us: the record's chat turns not the buyer's, else the names before our quoted turns."""
    stored = (record.get("thread") or {}).get("chat")
    if stored:
        return {str(t.get("who") or "") for t in stored if not t.get("buyer")}
    return _our_speakers(thread["quoted"])


def _our_reply(turns: list[tuple[str, str, str]], asked_at: int, ours: set[str]) -> str:
    """Our turns after the buyer's turn ``asked_at``, up to the buyer's next turn after them."""
    said: list[str] = []
    for who, _, words in turns[asked_at + 1:]:
        if who in ours:
            said.append(words)
        elif said:
            break
    return " ".join(said)


_MARKED = re.compile(r"[^\W_]*\d[^\W_]*[^\W\d_][^\W_]*|[^\W\d_]+\d[^\W_]*", re.I)  # "IP44", "16A", "BS1363"


def _takes_up(question: str, reply: str) -> bool:
    from triage.answers import topics_of, words

    if any(w in reply.lower() for w in words("thread.toml", "deferred")):
        return False
    if set(topics_of(question)) & set(topics_of(reply)):
        return True
    return bool({m.lower() for m in _MARKED.findall(question)} & {m.lower() for m in _MARKED.findall(reply)})


def short_question(question: str, at: int = 40, longest: int = 70) -> str:
    """The buyer's question as a chat reply quotes it: whole when short, else its words up to the first
    break at or after ``at`` characters, with an ellipsis."""
    if len(question) <= longest:
        return question
    cut = question.find(" ", at)
    return (question[:cut] if 0 < cut <= longest else question[:longest]).rstrip(" ,;:") + "…"


def earlier_prices(quoted: str, products: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Prices our side offered (or the buyer's side agreed) in the quoted history, per SKU:
    a USD figure on a line that names the product (or on any line when one product is asked),
    with the incoterm on that line (or the offer's heading above it; FOB when none is named). The history
    reads newest first, as mail clients quote it: the first figure wins, an FOB one before any other.
    A surcharge ("black +USD 0.10/pc") is no price, nor a figure on a line that names no product unless
    it is written per piece ("USD 0.47/pc"; "about USD 35 to Bergamo" is the courier)."""
    from triage.quote import PRICE, price_value

    from triage.answers import words

    out: dict[str, dict[str, Any]] = {}
    skip, per_unit = words("thread.toml", "not_unit_price"), words("thread.toml", "per_unit")
    heading_term = None  # "Your figures, CFR Dar:" names the term of the offer lines under it
    for line in (quoted or "").splitlines():
        # most lines of a history hold no price and no term: str's own search tells (in the line lowered
        # as re.I reads it, see aligned_lower) before the regexes are tried
        low = aligned_lower(line)
        prices = list(PRICE.finditer(line)) if low is None or "$" in low or "usd" in low else []
        if not prices:
            terms = _TERM.findall(line) if low is None or any(t in low for t in _TERMS) else []
            heading_term = terms[-1].upper().replace("CNF", "CFR") if terms else heading_term
            continue
        lowered = line.lower()
        if any(w in lowered for w in skip):
            continue  # freight, insurance, a deposit or an L/C floor: no unit price of a product
        places = _names_on(lowered, products)
        named = bool(places)
        ranged = _ranges(line, prices)
        for match in prices:
            if line[: match.start()].rstrip().endswith("+") or match.start() in ranged:
                continue  # a surcharge, or one end of a range ("from USD 1.10 to 1.50"): no price offered
            if not named and not any(w in line[match.end(): match.end() + 12].lower() for w in per_unit):
                continue  # a line that names no product states a unit price as one ("/pc"), else it is a cost
            term = _term_near(line, match.start(), heading_term)
            before = [sku for at, sku in places if at < match.start()]
            skus = before[-1:] or [sku for _, sku in places][:1] or ([products[0]["sku"]] if len(products) == 1 else [])
            for sku in skus:  # the product named last before the figure (else the first named after it)
                value = price_value(match)
                if sku not in out or (term == "FOB" and out[sku].get("term") != "FOB"):
                    out[sku] = {"price": value, "term": term}
    return out


def _names_on(lowered: str, products: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Where the lowered line names each product (its SKU or the buyer's words for it): [(position, sku)],
    in order."""
    found = []
    for p in products:
        spots = [lowered.find(w.lower()) for w in (p["sku"], p.get("asked")) if w and w.lower() in lowered]
        if spots:
            found.append((min(spots), p["sku"]))
    return sorted(found)


_RANGE_AFTER = re.compile(r"\s*(?:-|–|~|to|a|à|bis|até|до|至|到)\s*(?:USD|US\$|\$)?\s*\d", re.I)
_RANGE_BEFORE = re.compile(r"\d\s*(?:-|–|~|to|a|à|bis|até|до|至|到)\s*(?:USD|US\$|\$)?\s*$", re.I)


def _ranges(line: str, prices: list[re.Match]) -> set[int]:
    """The starts of figures that are an end of a price range ("USD 1.10 to 1.50", "1,10-1,50 USD")."""
    return {m.start() for m in prices
            if _RANGE_AFTER.match(line, m.end()) or _RANGE_BEFORE.search(line[max(0, m.start() - 12): m.start()])}


_TERMS = ("fob", "cif", "cfr", "cnf", "dap", "ddp", "exw", "fca")
_TERM = re.compile(rf"\b({'|'.join(_TERMS)})\b", re.I)


def _term_near(line: str, at: int, heading: str | None = None) -> str:
    after = _TERM.search(line, at)
    before = [m for m in _TERM.finditer(line, 0, at)]
    if after and after.start() - at < 20:
        return after.group(1).upper()
    return before[-1].group(1).upper() if before else (heading or "FOB")


def with_thread_quantity(request: dict[str, Any], thread: dict[str, Any]) -> dict[str, Any]:
    """A reply that names no quantity keeps the one the quoted thread settled (the offer stays at it)."""
    if (request.get("quantity") or {}).get("value") or not thread["in_thread"] or not thread["quoted"]:
        return request
    from triage.request import quantity

    found = quantity(re.sub(r"(?m)^[ \t]*>+[ \t]?", "", thread["quoted"]))
    return {**request, "quantity": {"value": found.value, "unit": found.unit}} if found else request


def buyer_said(record: dict[str, Any], text: str, thread: dict[str, Any]) -> str:
    """A chat's buyer turns, one a line: the offer reads the buyer's order lines, never our own ("MOQ 3000 pcs")."""
    ours = our_speakers(record, thread)
    turns = chat_turns(record, text) if ours else None
    if not turns:
        return new_text(text, thread)
    return "\n".join(words for who, _, words in turns if who not in ours)


def _our_speakers(quoted: str) -> set[str]:
    """Who speaks for us in a chat: the names before our turns, as the parse stage quoted them ("Lily: ...")."""
    return {line.split(": ", 1)[0] for line in (quoted or "").splitlines() if ": " in line}


def new_text(text: str, thread: dict[str, Any]) -> str:
    quoted = thread.get("quoted") or ""
    return text.replace(quoted, "") if quoted else text
