"""A signal's examples and counter-examples, run: each builds a small inquiry and must (not) fire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from triage.judge.engine import run_simple
from triage.judge.evidence import truncate
from triage.judge.facts import Facts, domain_of
from triage.judge.signals import Signal, SignalSet
from triage.model import Inquiry


_MESSAGE_KEYS = {"subject", "body", "signature", "quoted", "from_name", "auth_results", "mailer",
                 "return_path", "in_reply_to", "platform", "headers"}



_INQUIRY_KEYS = {"contact_title", "company_name", "country", "website", "sample_requested",
                 "incoterm", "destination", "certifications", "phones", "enrichment"}



_FIELD_TO_SPEC = {"text": "body", "all_text": "body", "title": "contact_title",
                  "sender_domain": "from_email", "sender_email": "from_email",
                  "reply_to_domains": "reply_to", "return_path_domain": "return_path",
                  "attachments": "attachments", "link_hrefs": "links", "link_hosts": "links",
                  "link_texts": "link_texts", "platform_fields": "platform_fields"}



def example_inquiry(spec: str | dict, sig: Signal | None = None) -> tuple[Inquiry, Any]:
    """Build an Inquiry (and History) from a signal example: a string for the signal's
    field, or a table of message/inquiry facts (see playbooks/signals/README.md)."""
    from datetime import datetime

    from triage.model import Attachment, Link, Message, ProductMatch, Quantity

    if isinstance(spec, str):
        spec = _string_spec(spec, sig.field if sig else "body")
    spec = dict(spec)
    msg = Message(kind="text")
    for key in _MESSAGE_KEYS & set(spec):
        setattr(msg, key, spec[key])
    msg.new_text = msg.body + ("\n" + msg.signature if msg.signature else "")
    msg.text = msg.new_text + ("\n" + msg.quoted if msg.quoted else "")
    msg.from_email = spec.get("from_email")
    msg.reply_to = _as_list(spec.get("reply_to"))
    msg.attachments = [Attachment(n, "", 0) for n in _as_list(spec.get("attachments"))]
    msg.links = [Link(*(l if isinstance(l, list) else [l, l])) for l in spec.get("links", [])]
    msg.links += [Link(t, "https://example.org/") for t in _as_list(spec.get("link_texts"))]
    msg.platform_fields = _platform_fields(spec.get("platform_fields", {}))
    if "date" in spec:
        msg.date = datetime.fromisoformat(str(spec["date"]))
    inq = Inquiry(message=msg, sender_email=msg.from_email, sender_domain=domain_of(msg.from_email) or None)
    for key in _INQUIRY_KEYS & set(spec):
        setattr(inq, key, spec[key])
    inq.products = [ProductMatch(s, s, 100.0, s) if s.startswith("BL-") or not s.startswith("?")
                    else ProductMatch(None, s[1:], 50.0, s[1:]) for s in _as_list(spec.get("products"))]
    if "quantity" in spec:
        q = spec["quantity"]
        inq.quantity = Quantity(*q) if isinstance(q, list) else Quantity(q)
    if "deadline" in spec:
        inq.deadline = date.fromisoformat(str(spec["deadline"]))
    return inq, _example_history(spec.get("history"))



def _string_spec(value: str, fld: str | None) -> dict:
    key = _FIELD_TO_SPEC.get(fld or "body", fld or "body")
    if fld == "sender_domain":
        return {"from_email": f"someone@{value}"}
    if fld == "reply_to_domains":
        return {"from_email": "a@example.org", "reply_to": [f"someone@{value}"]}
    if fld == "return_path_domain":
        return {"return_path": f"bounce@{value}"}
    if fld == "link_hosts":
        return {"links": [[value, f"https://{value}/x"]]}
    if fld == "link_hrefs":
        return {"links": [[value, value]]}
    if fld == "link_texts":
        return {"link_texts": [value]}
    if fld == "attachments":
        return {"attachments": [value]}
    if fld == "platform_fields":
        k, _, v = value.partition(":")
        return {"platform_fields": {k.strip(): v.strip()}}
    return {key: value}



def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]



def _platform_fields(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}



def _example_history(spec: Any) -> Any:
    if not spec:
        return None
    from triage.judge.history import History

    similar = [tuple(x) for x in spec.get("similar_from_others", [])]
    return History(similar_from_others=similar, seen_sender=spec.get("seen_sender", 0),
                   seen_company=spec.get("seen_company", 0),
                   reply_to_ours=spec.get("reply_to_ours", False),
                   message_id_taken=tuple(spec["message_id_taken"]) if spec.get("message_id_taken") else None)



@dataclass(slots=True)
class ExampleFailure:
    signal: str
    source: str
    kind: str  # "example" (did not fire) or "counter_example" (fired)
    example: Any

    def __str__(self) -> str:
        what = "did not fire on example" if self.kind == "example" else "fired on counter-example"
        return f"{self.source}: {self.signal} {what}: {truncate(repr(self.example), 100)}"



def run_examples(sset: SignalSet, profile: Any) -> tuple[int, list[ExampleFailure]]:
    """Run every signal's examples and counter-examples; return (count, failures)."""
    failures: list[ExampleFailure] = []
    count = 0
    for sig in sset.signals:
        for kind, cases, want in (("example", sig.examples, True),
                                  ("counter_example", sig.counter_examples, False)):
            for case in cases:
                count += 1
                inq, hist = example_inquiry(case, sig)
                today = date.fromisoformat(case["today"]) if isinstance(case, dict) and "today" in case else None
                learned = _example_learned(case.get("learned")) if isinstance(case, dict) else None
                fired = _fires(sset, sig, inq, profile, hist, today, learned)
                if fired != want:
                    failures.append(ExampleFailure(sig.name, sig.source, kind, case))
    return count, failures



def _fires(sset: SignalSet, sig: Signal, inq: Inquiry, profile: Any, hist: Any, today: date | None,
           learned: Any = None) -> bool:
    if not sig.is_meta:
        facts = Facts(inq, profile, hist, today, sset.lists, learned=learned)
        return run_simple(sig, facts) is not None
    everything = SignalSet([dataclass_replace(s, enabled=True) for s in sset.signals], sset.lists, sset.decision)
    return any(h.name == sig.name for h in everything.evaluate(inq, profile, hist, today, learned))


def _example_learned(spec: Any) -> Any:
    """An example's token model: ``learned = { marks = { scam = 5, ... }, tokens = { word = { scam = 5 } } }``,
    the counts the store would hold after the user's marks."""
    if not spec:
        return None
    from triage.learning import TokenModel

    return TokenModel(dict(spec.get("marks", {})), {t: dict(c) for t, c in spec.get("tokens", {}).items()})



def dataclass_replace(sig: Signal, **changes: Any) -> Signal:
    from dataclasses import replace

    return replace(sig, **changes)

