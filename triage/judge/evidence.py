"""How a hit's evidence is written: one line, at most EVIDENCE_MAX characters."""

from __future__ import annotations


EVIDENCE_MAX = 80



def truncate(text: str, limit: int = EVIDENCE_MAX) -> str:
    text = str(text)
    if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
        text = " ".join(text.split())  # (every whitespace but the plain space is unprintable)
    return text if len(text) <= limit else text[: limit - 1] + "…"

