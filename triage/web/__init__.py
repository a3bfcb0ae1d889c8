"""The browser: ``triage serve``, a local Flask app over the same store and library the CLI uses.

127.0.0.1 only. The printed URL carries a random token; opening it once sets a signed
session cookie (SameSite=Strict), every other request without it is refused. Every
form carries the session's CSRF token. Templates (``templates/web/``) autoescape, so
the buyer's text is always shown as text. Labels in English and Chinese come from
``playbooks/web.toml``. No external assets: styles are inline, charts are SVG made here.
"""

from __future__ import annotations

import hmac
import secrets
import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Callable

from triage.paths import shipped

HOST = "127.0.0.1"
LANGS = ("en", "zh")
ACTIONS = ("done", "snooze", "replied", "won", "lost", "spam", "phishing", "not_inquiry")


@cache
def labels(lang: str) -> dict[str, str]:
    """The page's words: the report's labels (scores, styles, queue cells) under the browser's own."""
    from triage.report import labels as report_labels

    data = tomllib.loads((shipped("playbooks") / "web.toml").read_text(encoding="utf-8"))
    return {**report_labels(lang), **data["en"], **data.get(lang, {})}


def create_app(db_path: Path | None = None, *, token: str | None = None, profile: Any = None,
               today: Callable[[], date] = date.today) -> Any:
    """The Flask app; ``app.config["TOKEN"]`` is what the URL must carry once."""
    from flask import Flask
    from jinja2 import FileSystemLoader

    app = Flask(__name__)
    app.config.update(SECRET_KEY=secrets.token_bytes(32), TOKEN=token or secrets.token_urlsafe(24), DB=db_path,
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True, TODAY=today, PROFILE=profile)
    app.jinja_loader = FileSystemLoader(str(shipped("templates") / "web"))
    app.jinja_env.autoescape = True
    from triage.web import views

    views.register(app)
    return app


def serve(db_path: Path | None = None, port: int = 0, echo: Callable[[str], None] = print) -> None:
    """Run the app on 127.0.0.1 until Ctrl-C; prints the URL with its token."""
    from werkzeug.serving import make_server

    app = create_app(db_path)
    server = make_server(HOST, port, app, threaded=True)
    echo(f"triage is at http://{HOST}:{server.server_port}/?token={app.config['TOKEN']}  (Ctrl-C to stop)")
    try:
        server.serve_forever()
    finally:
        server.server_close()


def check_csrf(session: dict[str, Any], form: Any) -> bool:
    expected = session.get("csrf", "")
    return bool(expected) and hmac.compare_digest(expected, form.get("csrf", ""))
