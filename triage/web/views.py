"""The pages and actions of ``triage serve``: each view calls the library and renders a template."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from triage.web import ACTIONS, LANGS, check_csrf, labels


def register(app: Any) -> None:
    from flask import abort, g, redirect, request, session

    @app.before_request
    def _gate():
        token = request.args.get("token")
        if token is not None:
            if not hmac.compare_digest(token, app.config["TOKEN"]):
                abort(403)
            session["ok"] = True
            session.setdefault("csrf", secrets.token_urlsafe(24))
            return redirect(request.path)
        if not session.get("ok"):
            abort(403)
        if request.args.get("lang") in LANGS:
            session["lang"] = request.args["lang"]
        if request.method == "POST" and not check_csrf(session, request.form):
            abort(400, "missing or wrong CSRF token")
        g.nonce = secrets.token_urlsafe(12)

    @app.after_request
    def _headers(response):
        nonce = getattr(g, "nonce", "")
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
            f"base-uri 'none'; frame-ancestors 'none'; script-src 'nonce-{nonce}'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    app.add_url_rule("/", "queue", _queue)
    app.add_url_rule("/inquiry/<int:ident>", "inquiry", _inquiry)
    app.add_url_rule("/inquiry/<int:ident>/draft", "draft", _draft, methods=["POST"])
    app.add_url_rule("/inquiry/<int:ident>/action", "action", _action, methods=["POST"])
    app.add_url_rule("/charts", "charts", _charts)


def _page(name: str, **context: Any) -> str:
    from flask import current_app, g, get_flashed_messages, render_template, session

    lang = session.get("lang", "en")
    return render_template(name, t=labels(lang), lang=lang, csrf=session.get("csrf", ""), nonce=g.nonce,
                           flashes=get_flashed_messages(), today=current_app.config["TODAY"](), **context)


def _store():
    from flask import current_app

    from triage.store import Store

    return Store(current_app.config["DB"])


def _profile():
    from flask import current_app

    from triage.profile import load_profile

    return current_app.config["PROFILE"] or load_profile()


def _queue():
    from flask import current_app, session

    from triage import queue, store_followups

    day = current_app.config["TODAY"]()
    with _store() as store:
        items = queue.build(store_followups.due_items(store, day), day, session.get("lang", "en"))
    tiers: dict[str, list[Any]] = {}
    for item in items:
        tiers.setdefault(item.tier or "?", []).append(item)
    counts = {k: sum(1 for i in items if i.kind == k) for k in ("overdue", "due", "new")}
    return _page("queue.html", tiers=tiers, counts=counts, total=len(items))


def _inquiry(ident: int):
    from flask import session

    from triage import store_mailbox, store_web
    from triage.errors import NotFound

    try:
        with _store() as store:
            record, row = store.get(ident), store.row(ident)
            view = {"record": record, "row": row, "events": store.events(ident),
                    "thread": store_web.thread(store, ident),
                    "draft": store_mailbox.draft_edit(store, ident) or record.get("draft"),
                    "last_sent": store_mailbox.last_sent(store, ident)}
    except NotFound:
        from flask import abort

        abort(404)
    return _page("inquiry.html", **view, background=_background(record.get("enrichment") or {}),
                 playbook=_playbook(record, session.get("lang", "en")), mailbox=bool(_accounts()))


def _background(enrichment: dict[str, Any]) -> list[tuple[str, str]]:
    """The enrichment facts worth a line: scalar values of its tables, lists joined."""
    out = []
    for section, facts in enrichment.items():
        if not isinstance(facts, dict):
            continue
        for key, value in facts.items():
            if isinstance(value, list) and value and all(isinstance(v, (str, int, float)) for v in value):
                value = ", ".join(str(v) for v in value[:8])
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
                out.append((f"{section}.{key}", str(value)[:200]))
            elif value is True:
                out.append((f"{section}.{key}", "yes"))
    return out[:40]


def _playbook(record: dict[str, Any], lang: str) -> list[str]:
    style = (record.get("persona") or {}).get("type")
    if not style:
        return []
    from triage.persona import playbook_summary

    return playbook_summary(style, lang)


def _accounts() -> list[Any]:
    from triage import mailbox

    try:
        return mailbox.accounts(_profile())
    except Exception:  # noqa: BLE001 - a broken [[mailbox]] only hides the button here
        return []


def _draft(ident: int):
    from flask import flash, redirect, request, session, url_for

    from triage import mailbox, store_mailbox
    from triage.errors import TriageError

    t = labels(session.get("lang", "en"))
    subject, body = request.form.get("subject", "").strip(), request.form.get("body", "")
    with _store() as store:
        store_mailbox.save_draft_edit(store, ident, subject, body.replace("\r\n", "\n"))
        flash(t["saved"])
        if request.form.get("to") == "mailbox":
            accounts = _accounts()
            try:
                if not accounts:
                    raise TriageError("no [[mailbox]] account in the profile")
                folder = mailbox.draft_to_mailbox(accounts[0], store, ident, _profile())
                flash(t["saved_mailbox"].format(folder=folder))
            except TriageError as exc:
                flash(str(exc))
    return redirect(url_for("inquiry", ident=ident))


def _action(ident: int):
    from flask import abort, current_app, flash, redirect, request, session, url_for

    from triage import store_followups, store_web
    from triage.errors import TriageError

    action = request.form.get("action")
    if action not in ACTIONS:
        abort(400, "unknown action")
    day = current_app.config["TODAY"]()
    try:
        with _store() as store:
            if action == "done":
                store_followups.mark_done(store, ident, today=day)
            elif action == "snooze":
                store_followups.snooze(store, ident, 3, today=day)
            elif action in ("replied", "won", "lost"):
                store_followups.stop(store, ident, action, reason=request.form.get("reason") or None, today=day)
            else:
                store_web.mark(store, ident, action)
    except TriageError as exc:
        flash(str(exc))
        return redirect(url_for("inquiry", ident=ident))
    t = labels(session.get("lang", "en"))
    label = t.get({"spam": "mark_spam", "phishing": "mark_phishing", "not_inquiry": "mark_not_inquiry"}.get(action, action), action)
    flash(t["acted"].format(id=ident, action=label))
    return redirect(url_for("queue"))


def _charts():
    from flask import session

    from triage import store_web
    from triage.web import charts

    t = labels(session.get("lang", "en"))
    with _store() as store:
        weekly, tiers, countries = store_web.weekly_categories(store), store_web.tiers(store), store_web.countries(store)
    pictures = [
        (t["per_week"], charts.stacked_weeks(weekly, t["per_week"])),
        (t["tier_share"], charts.share([(k, n) for k, n, _ in tiers], t["tier_share"])),
        (t["conversion"], charts.bars([(k, w / n if n else 0, f"{w}/{n}") for k, n, w in tiers], t["conversion"])),
        (t["countries"], charts.bars([(c, n, str(n)) for c, n in countries], t["countries"])),
    ]
    return _page("charts.html", pictures=pictures)
