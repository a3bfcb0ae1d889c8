"""The offer names the buyer's quantity as the buyer stated it: per line, per variant, each, or one total.

Each case is a message in the trade's usual shapes, drafted end to end (parse, judge, draft) against the
demo seller; the assertions read the draft a buyer would get.
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from triage.paths import shipped
from triage.pipeline import Options, triage_paths
from triage.profile import load_profile
from triage.quote import order_lines


@pytest.fixture(scope="module")
def profile():
    return load_profile(shipped("playbooks") / "profile.demo.toml")


def _eml(tmp_path, body: str, subject: str = "RFQ", sender: str = "Jan Novak <jan.novak@elektro-novak.cz>"):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "sales@brightline-electrical.com", subject
    msg["Message-ID"] = "<q1@elektro-novak.cz>"
    msg["Date"] = "Mon, 02 Nov 2026 09:00:00 +0100"
    msg.set_content(body)
    path = tmp_path / "rfq.eml"
    path.write_bytes(bytes(msg))
    return path


def _draft(tmp_path, profile, body: str) -> str:
    result = triage_paths([str(_eml(tmp_path, body))], profile=profile, options=Options(offline=True)).results[0]
    assert result.inquiry.draft is not None, result.inquiry.judgment
    return result.inquiry.draft.body


SIGNATURE = """
Best regards
Jan Novak
Purchasing Manager
Elektro Novak s.r.o.
Prumyslova 12, 370 01 Ceske Budejovice, Czech Republic
Tel +420 387 221 450
www.elektro-novak.cz
"""


def test_variants_of_one_product_get_a_line_each_and_the_total_is_their_sum(tmp_path, profile):
    body = _draft(tmp_path, profile, """Dear Sir,

Please quote FOB Ningbo:

Item 1: 13A switched socket BS1363, single, white - 6,000 pcs
Item 2: 13A switched socket BS1363, twin, white - 4,000 pcs

We distribute to 40 installers in Bohemia.
""" + SIGNATURE)
    assert "(your \"13A switched socket BS1363, single, white\"): 6,000 pcs at" in body
    assert "(your \"13A switched socket BS1363, twin, white\"): 4,000 pcs at" in body
    assert "Total: 10,000 pcs, USD" in body
    single, twin = (line.split(" at ")[1].split("/")[0] for line in body.splitlines() if "(your \"13A switched" in line)
    assert single == twin  # one SKU, one price: the break its 10,000 pcs together reach
    assert "below our MOQ" not in body


def test_counts_written_before_the_names_on_one_line_go_to_each_name(tmp_path, profile):
    body = _draft(tmp_path, profile, """Hello,

We need 10,000 pcs Schuko socket and 3,000 pcs LED downlight, FOB Ningbo, for our shops in Prague.
Please send your best price and the lead time.
""" + SIGNATURE)
    assert "Schuko socket 16A (EU) (your \"Schuko socket\"): 10,000 pcs at" in body
    assert "(your \"LED downlight\"): 3,000 pcs at" in body
    assert "Total: 13,000 pcs" in body


def test_one_total_for_several_products_is_named_and_the_split_asked(tmp_path, profile):
    body = _draft(tmp_path, profile, """Hello,

For our new private label we want Schuko sockets and LED downlights, around 20,000 pieces in total
for the first order, FOB Ningbo. What is your price?
""" + SIGNATURE)
    assert "For your 20,000 pcs in total" in body
    assert "tell me the quantity of each item" in body
    assert "/pc from" in body  # the lines stay at their MOQ break, not at an invented split


def test_one_quantity_each_applies_to_every_product(tmp_path, profile):
    body = _draft(tmp_path, profile, """Hello,

Please quote Schuko socket and LED downlight, 5,000 pcs each, FOB Ningbo.
""" + SIGNATURE)
    assert body.count("5,000 pcs at") == 2
    assert "Total: 10,000 pcs" in body


def test_a_table_row_is_read_under_its_quantity_heading():
    products = [{"sku": "BL-UK13", "name": "UK 13A switched socket", "asked": "BS 1363", "aliases": []},
                {"sku": "BL-JB", "name": "PVC junction box", "asked": "PVC junction box", "aliases": []}]
    text = ("Item\tDescription\tUnit\tQty\tRemarks\n"
            "1\t13A switched socket outlet, BS 1363, white\tNos\t1,240\tApartments\n"
            "2\tPVC junction box, 20mm conduit, 4-way\tNos\t3,400\tConcealed\n"
            "\tTotal\t\t4,640\t\n")
    lines = order_lines(products, text, 4640)
    assert [(sku, qty) for sku, qty, _ in lines] == [("BL-UK13", 1240), ("BL-JB", 3400)]


def test_a_price_each_is_not_a_quantity_each():
    products = [{"sku": "A", "name": "Schuko socket", "asked": "Schuko socket", "aliases": []},
                {"sku": "B", "name": "LED downlight", "asked": "LED downlight", "aliases": []}]
    text = "We need Schuko socket and LED downlight, 8,000 pcs, target USD 1 each."
    assert [qty for _, qty, _ in order_lines(products, text, 8000, ["each"])] == [None, None]
    assert [qty for _, qty, _ in order_lines(products, "Schuko socket and LED downlight, 800 pcs each",
                                             800, ["each"])] == [800, 800]


def test_a_competitor_asking_for_nothing_we_make_gets_no_empty_price_list(profile):
    from triage import draft as drafting, templating

    record = {"category": "competitor", "tier": "D", "language": "zh", "contact": {"name": "徐薇"},
              "sender": {"email": "vivian@rival.example"}, "request": {"products": []}}
    t = templating.phrases(templating.default_environment(), "zh")
    body = drafting.draft_reply(record, profile).body
    assert t["competitor"]["open"].split("，")[0] not in body and t["open"]["no_products"] in body
