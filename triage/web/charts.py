"""Server-side SVG charts for the browser: plain markup, every label escaped, no external assets."""

from __future__ import annotations

from markupsafe import Markup, escape

# Colours by category (and tier), chosen to read apart in print too.
COLOURS = {"genuine": "#2b8a3e", "competitor": "#e67700", "spam": "#868e96", "phishing": "#c92a2a",
           "scam": "#862e9c", "not_inquiry": "#adb5bd", "?": "#dee2e6",
           "A": "#2b8a3e", "B": "#74b816", "C": "#fab005", "D": "#adb5bd"}
WIDTH = 560


def stacked_weeks(rows: list[tuple[str, str, int]], title: str) -> Markup:
    """Inquiries per week, one bar a week, stacked by category; a legend under it."""
    weeks = sorted({w for w, _, _ in rows})
    if not weeks:
        return Markup("")
    cats = sorted({c for _, c, _ in rows})
    count = {(w, c): n for w, c, n in rows}
    top = max(sum(count.get((w, c), 0) for c in cats) for w in weeks)
    height, bar = 160, max(8, min(40, (WIDTH - 40) // len(weeks) - 6))
    parts = []
    for i, week in enumerate(weeks):
        x, y = 40 + i * (bar + 6), height
        for cat in cats:
            n = count.get((week, cat), 0)
            h = n / top * (height - 20)
            y -= h
            if n:
                parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{_colour(cat)}">'
                             f"<title>{escape(week)} {escape(cat)}: {n}</title></rect>")
        parts.append(f'<text x="{x + bar / 2}" y="{height + 14}" font-size="9" text-anchor="middle">'
                     f"{escape(week[5:])}</text>")
    parts.append(f'<text x="0" y="12" font-size="10">{top}</text>')
    legend = _legend(cats, height + 30)
    return _svg(title, height + 50, "".join(parts) + legend)


def share(rows: list[tuple[str, int]], title: str) -> Markup:
    """One 100% bar split by tier, with the percentages."""
    total = sum(n for _, n in rows)
    if not total:
        return Markup("")
    parts, x = [], 0.0
    for tier, n in rows:
        w = n / total * WIDTH
        parts.append(f'<rect x="{x:.1f}" y="10" width="{w:.1f}" height="30" fill="{_colour(tier)}">'
                     f"<title>{escape(tier)}: {n}</title></rect>")
        if w > 30:
            parts.append(f'<text x="{x + w / 2:.1f}" y="30" font-size="12" text-anchor="middle">'
                         f"{escape(tier)} {n / total:.0%}</text>")
        x += w
    return _svg(title, 50, "".join(parts))


def bars(rows: list[tuple[str, float, str]], title: str) -> Markup:
    """Horizontal bars: (label, value 0..1 or count, text shown beside it)."""
    if not rows:
        return Markup("")
    top = max(v for _, v, _ in rows) or 1
    parts = []
    for i, (label, value, text) in enumerate(rows):
        y = 8 + i * 22
        w = value / top * (WIDTH - 160)
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(label)}</text>'
                     f'<rect x="60" y="{y}" width="{w:.1f}" height="16" fill="{_colour(label)}"></rect>'
                     f'<text x="{66 + w:.1f}" y="{y + 13}" font-size="11">{escape(text)}</text>')
    return _svg(title, 16 + len(rows) * 22, "".join(parts))


def _legend(items: list[str], y: int) -> str:
    return "".join(f'<rect x="{40 + i * 95}" y="{y}" width="10" height="10" fill="{_colour(c)}"></rect>'
                   f'<text x="{54 + i * 95}" y="{y + 9}" font-size="10">{escape(c)}</text>'
                   for i, c in enumerate(items))


def _colour(key: str) -> str:
    return COLOURS.get(key, "#4dabf7")


def _svg(title: str, height: int, body: str) -> Markup:
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
                  f'viewBox="0 0 {WIDTH} {height}"><title>{escape(title)}</title>{body}</svg>')
