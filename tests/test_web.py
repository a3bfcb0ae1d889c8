"""triage serve: the Flask app over a real store (Flask's test client), then a real headless chromium."""

from __future__ import annotations

import os
import re
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest

flask = pytest.importorskip("flask", reason="the web tests need Flask (pip install 'triage[web]')")

from triage import store_followups, store_mailbox  # noqa: E402
from triage.pipeline import Options, triage_paths  # noqa: E402
from triage.profile import load_profile  # noqa: E402
from triage.store import Store  # noqa: E402
from triage.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / "examples" / "rfq-distributor.eml").read_bytes()
TODAY = date(2026, 12, 7)
HOSTILE = b'<script>alert("x")</script> & <img src=x onerror=alert(1)>'
ARTEFACTS = Path(os.environ.get("TRIAGE_ARTEFACTS", ROOT / "tmp" / "artefacts"))


def _mail(n: int, subject: bytes | None = None, body_extra: bytes = b"") -> bytes:
    raw = EXAMPLE.replace(b"nordvolt-grossist.se", f"buyer{n}-grossist.se".encode())
    raw = raw.replace(b"<20261117091244.4F2A@", f"<web-{n}@".encode())
    if subject:
        raw = raw.replace(b"Subject: RFQ: Schuko sockets 16A and 6-way power strips for spring 2027", b"Subject: " + subject)
    return raw.replace(b"Best regards,", body_extra + b"\n\nBest regards,")


@pytest.fixture
def db(tmp_path):
    for n in (1, 2, 3):
        (tmp_path / f"m{n}.eml").write_bytes(_mail(n, subject=HOSTILE if n == 3 else None,
                                                    body_extra=HOSTILE if n == 3 else b""))
    path = tmp_path / "triage.db"
    with Store(path) as store:
        batch = triage_paths(sorted(str(p) for p in tmp_path.glob("*.eml")), profile=load_profile(),
                             options=Options(offline=True, today=TODAY), store=store)
    assert not batch.errors and len(batch.results) == 3
    return path


@pytest.fixture
def client(db):
    app = create_app(db, token="s3cret-token", today=lambda: TODAY)
    client = app.test_client()
    assert client.get("/?token=s3cret-token").status_code == 302
    return client


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_nothing_is_served_without_the_token(db):
    app = create_app(db, token="s3cret-token", today=lambda: TODAY)
    anon = app.test_client()
    assert anon.get("/").status_code == 403
    assert anon.get("/inquiry/1").status_code == 403
    assert anon.get("/?token=wrong").status_code == 403


def test_the_queue_shows_the_inquiries_by_tier_with_counts(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count('<tr id="item-') == 3 and "3 new" in html
    assert re.search(r'class="tier tier-[ABC]"', html) and re.search(r"· 3 items</h2>", html)
    assert "Content-Security-Policy" in client.get("/").headers


def test_the_buyers_text_is_always_escaped(client):
    for url in ("/", "/inquiry/3"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html


def test_a_form_without_the_csrf_token_is_refused(client):
    assert client.post("/inquiry/1/action", data={"action": "done"}).status_code == 400
    assert client.post("/inquiry/1/action", data={"action": "done", "csrf": "forged"}).status_code == 400
    with Store(client.application.config["DB"]) as store:
        assert store.row(1)["status"] == "new"


def test_the_inquiry_page_has_verdict_signals_background_persona_thread_and_draft(client):
    html = client.get("/inquiry/1").get_data(as_text=True)
    for section in ("verdict", "signals", "background", "persona", "thread", "draft", "actions"):
        assert f'id="{section}"' in html
    assert "title_decider" in html and "11 branches" in html and "<textarea" in html
    assert client.get("/inquiry/999").status_code == 404


def test_actions_write_the_same_store_the_cli_reads(client):
    csrf = _csrf(client.get("/inquiry/1").get_data(as_text=True))
    assert client.post("/inquiry/1/action", data={"action": "done", "csrf": csrf}).status_code == 302
    assert client.post("/inquiry/2/action", data={"action": "lost", "reason": "price", "csrf": csrf}).status_code == 302
    assert client.post("/inquiry/3/action", data={"action": "spam", "csrf": csrf}).status_code == 302
    with Store(client.application.config["DB"]) as store:
        assert store_followups.plan(store, 1)[0]["status"] == "done" and store.row(1)["status"] == "open"
        assert (store.row(2)["status"], store.row(2)["status_reason"]) == ("lost", "price")
        assert store.row(3)["category"] == "spam"
    html = client.get("/").get_data(as_text=True)
    assert '<tr id="item-' not in html and "Nothing due today." in html


def test_an_edited_draft_is_kept(client):
    csrf = _csrf(client.get("/inquiry/1").get_data(as_text=True))
    client.post("/inquiry/1/draft", data={"subject": "Re: offer", "body": "Dear Henrik,\r\nour price <b>", "csrf": csrf})
    html = client.get("/inquiry/1").get_data(as_text=True)
    assert "Draft saved." in html and "our price &lt;b&gt;" in html and 'value="Re: offer"' in html


def test_chinese_interface(client):
    html = client.get("/?lang=zh").get_data(as_text=True)
    assert "今日待办" in html and 'lang="zh-Hans"' in html and "· 3 项</h2>" in html
    assert "今日待办" in client.get("/inquiry/1").get_data(as_text=True)  # the choice sticks


def test_the_chinese_queue_and_inquiry_have_no_english_cells(client):
    queue_cells = re.findall(r"<td>(.*?)</td>", client.get("/?lang=zh").get_data(as_text=True), re.S)
    steps = [cell for cell in queue_cells if "收到" in cell or "首次回复" in cell]
    assert len(steps) == 6, queue_cells  # three inquiries: last touch and next step each
    assert not any(word in " ".join(steps) for word in ("received", "first reply", "step"))
    page = client.get("/inquiry/1").get_data(as_text=True)
    category, scores = re.findall(r"<p><strong>(?:类别|评分):</strong>(.*?)</p>", page)
    assert "真实询盘" in category and "购买力" in scores and "真实性" in scores
    assert not re.search(r"[a-z]{3,}", category + scores)  # the judge's verdict sentence stays English


def test_charts_are_inline_svg(client):
    html = client.get("/charts").get_data(as_text=True)
    assert html.count("<svg") == 4 and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "genuine" in html


# -- a real browser -------------------------------------------------------------------------------


def _chromium() -> tuple[str, str] | str:
    """(browser, driver) paths, or why the browser test cannot run."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install 'triage[browser]')"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not browser or not Path(driver).exists():
        return "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
    return browser, driver


@pytest.fixture
def browser():
    found = _chromium()
    if isinstance(found, str):
        pytest.skip(found)
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,1000",
                "--lang=en"):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(found[1]), options=options)
    except WebDriverException as exc:
        pytest.skip(f"chromium could not be started here: {str(exc).splitlines()[0]}")
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(15)  # an element of the page a click loads may come after find_element asks
    yield driver
    driver.quit()


@pytest.fixture
def served(db):
    from werkzeug.serving import make_server

    app = create_app(db, today=lambda: TODAY)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app.config["TOKEN"]
    server.shutdown()


@pytest.mark.slow
def test_in_a_real_browser(browser, served, db):
    from selenium.webdriver.common.by import By

    base, token = served
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    browser.get(f"{base}/?token={token}")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr[id^=item-]")) == 3
    browser.save_screenshot(str(ARTEFACTS / "web-queue.png"))

    browser.find_element(By.CSS_SELECTOR, "#item-1 a").click()
    assert "title_decider" in browser.find_element(By.ID, "signals").text
    box = browser.find_element(By.ID, "draft-body")
    box.clear()
    box.send_keys("Dear Henrik,\nthank you: our offer for 8,000 Schuko sockets is attached.")
    browser.find_element(By.ID, "save-draft").click()
    assert "Draft saved." in browser.find_element(By.CLASS_NAME, "flash").text
    assert "our offer for 8,000 Schuko" in browser.find_element(By.ID, "draft-body").get_attribute("value")
    browser.save_screenshot(str(ARTEFACTS / "web-inquiry.png"))

    browser.find_element(By.ID, "action-done").click()
    assert browser.find_elements(By.ID, "item-1") == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr[id^=item-]")) == 2

    browser.find_element(By.ID, "lang-zh").click()
    assert "今日待办" in browser.find_element(By.TAG_NAME, "h1").text
    browser.save_screenshot(str(ARTEFACTS / "web-queue-zh.png"))
    browser.get(f"{base}/charts")
    assert len(browser.find_elements(By.TAG_NAME, "svg")) == 4
    browser.save_screenshot(str(ARTEFACTS / "web-charts.png"))
    with Store(db) as store:  # what the browser did is in the store the CLI reads
        assert store.row(1)["status"] == "open"
        assert "our offer for 8,000" in store_mailbox.draft_edit(store, 1)["body"]
