"""`triage init` and the seller's catalogue: CSV and XLSX imports previewed and confirmed, products asked
one by one, and a profile whose catalogue is still the demo's says so."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from triage.catalogue import is_demo, preview, read_catalogue
from triage.cli import main
from triage.errors import ProfileError

HEADER = ["sku", "name", "aliases", "moq", "price_min", "price_max", "certifications"]
ROWS = [["AC-1", "Ceiling fan 52 inch", "ceiling fan;fan", "500", "20", "28", "UL;ETL"],
        ["AC-2", "Stand fan 16 inch", "pedestal fan", "1000", "8.5", "", "CE"]]
ANSWERS = ["Acme Fans Ltd", "Acme", "manufacturer", "ceiling fans", "Foshan", "CN", "2012", "60", "1",
           "https://www.acmefans.example/", "sales@acmefans.example", "Amy", "en", "Shenzhen",
           "30% deposit", "30 days", "free samples", "30-40", "7", "0", "US, EU", "UL, ETL", "CE"]
TAIL = ["table fan", "Zhongshan"]


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text("\n".join(",".join(r) for r in [HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def xlsx_file(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([h.upper() if h == "sku" else h for h in HEADER])  # a header as a user types it
    sheet.append(["AC-1", "Ceiling fan 52 inch", "ceiling fan;fan", 500, 20, 28, "UL;ETL"])
    sheet.append(["AC-2", "Stand fan 16 inch", "pedestal fan", 1000, 8.5, None, "CE"])
    sheet.append([None] * 7)  # an empty row at the end, as sheets have
    path = tmp_path / "catalogue.xlsx"
    book.save(path)
    return path


def test_csv_and_xlsx_import_the_same_catalogue(csv_file, xlsx_file):
    from_csv, from_xlsx = read_catalogue(csv_file), read_catalogue(xlsx_file)
    assert from_csv == from_xlsx
    assert from_csv[0] == {"sku": "AC-1", "name": "Ceiling fan 52 inch", "aliases": ["ceiling fan", "fan"],
                           "moq": 500, "price": [20.0, 28.0], "certifications": ["UL", "ETL"]}
    assert from_csv[1]["price"] == [8.5, 8.5]
    shown = preview(from_xlsx)
    assert shown.startswith("2 product(s)") and "AC-2" in shown and "20.00-28.00" in shown and "UL, ETL" in shown


def test_a_bad_catalogue_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,name,moq\nAC-1,Fan,many\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="line 2"):
        read_catalogue(bad)
    with pytest.raises(ProfileError, match=".csv or .xlsx"):
        read_catalogue(tmp_path / "catalogue.ods")


def test_init_imports_an_xlsx_after_the_preview_is_confirmed(triage_home, xlsx_file):
    result = run("init", "--catalogue", str(xlsx_file), input="\n".join(ANSWERS + ["y"] + TAIL) + "\n")
    assert result.exit_code == 0, result.output
    assert "2 product(s) to import" in result.output and "Import these 2 product(s)?" in result.output
    profile = tomllib.loads((triage_home / "profile.toml").read_text())
    assert [p["sku"] for p in profile["products"]] == ["AC-1", "AC-2"]
    assert "DEMO" not in result.output and "2 product(s), certificates held: UL, ETL" in result.output


def test_init_writes_nothing_when_the_import_is_refused(triage_home, csv_file):
    result = run("init", "--catalogue", str(csv_file), input="\n".join(ANSWERS + ["n"]) + "\n")
    assert result.exit_code == 1 and "import cancelled" in result.output
    assert not (triage_home / "profile.toml").exists()


def test_init_asks_the_products_one_by_one(triage_home):
    # no price break: the price range is asked instead
    products = ["AC-9", "Wall fan 18 inch", "wall mounted fan", "", "11.5-14", "800", "UL", ""]
    result = run("init", input="\n".join(ANSWERS + products + TAIL) + "\n")
    assert result.exit_code == 0, result.output
    profile = tomllib.loads((triage_home / "profile.toml").read_text())
    assert profile["products"] == [{"sku": "AC-9", "name": "Wall fan 18 inch", "aliases": ["wall mounted fan"],
                                    "moq": 800, "price": [11.5, 14.0], "certifications": ["UL"]}]
    assert "BL-GFCI" not in (triage_home / "profile.toml").read_text()


# two products, each with its own price breaks (one answer asked again: "lots" is no quantity)
WALKED = ["AC-9", "Wall fan 18 inch", "wall mounted fan",
          "500", "14.20", "lots", "2000", "12.80", "10000", "11.40", "",  # breaks; the MOQ is then asked
          "", "UL; ETL",  # MOQ: the first break's 500 by default
          "AC-7", "Ceiling fan 52 inch", "ceiling fan", "300", "31", "3000", "27.5", "", "600", "CE",
          ""]


def test_init_walks_through_price_breaks_moq_and_certificates_per_product(triage_home):
    result = run("init", input="\n".join(ANSWERS + WALKED + TAIL) + "\n")
    assert result.exit_code == 0, result.output
    assert "Price break 1: from how many pieces" in result.output and "'lots' is not a whole number" in result.output
    profile = tomllib.loads((triage_home / "profile.toml").read_text())
    wall, ceiling = profile["products"]
    assert wall["breaks"] == [[500, 14.2], [2000, 12.8], [10000, 11.4]]
    assert wall["moq"] == 500 and wall["certifications"] == ["UL", "ETL"]
    assert ceiling["breaks"] == [[300, 31.0], [3000, 27.5]] and ceiling["moq"] == 600
    assert ceiling["certifications"] == ["CE"]
    from triage.profile import load_profile

    loaded = load_profile(triage_home / "profile.toml")
    assert loaded.product("AC-9").breaks == [(500, 14.2), (2000, 12.8), (10000, 11.4)]


@pytest.mark.parametrize("qty, price", [("2,500", "12.80"), ("12,000", "11.40"), ("800", "14.20")])
def test_the_draft_quotes_the_break_the_buyers_quantity_reaches(triage_home, qty, price):
    assert run("init", input="\n".join(ANSWERS + WALKED + TAIL) + "\n").exit_code == 0
    mail = (f"Hello,\n\nPlease quote {qty} pcs wall mounted fan, FOB Shenzhen, for our stores.\n\n"
            "Regards\nTom Baker\nPurchasing Manager\nBaker Home Supply Ltd\n+44 20 7946 0321\nwww.bakerhome.example\n")
    result = run("inquiry", "--offline", "--no-store", "--json", "-", input=mail)
    assert result.exit_code == 0, result.output
    import json

    record = json.loads(next(line for line in result.output.splitlines() if line.startswith("{")))
    body = record["draft"]["body"]
    assert f"{qty} pcs at USD {price}/pc" in body, body
    assert "BL-" not in body  # nothing of the demo company's catalogue


def test_a_profile_left_with_the_demo_catalogue_says_so(triage_home):
    result = run("init", "--defaults")
    assert result.exit_code == 0, result.output
    assert "still the DEMO company's" in result.output
    profile = tomllib.loads((triage_home / "profile.toml").read_text())
    assert is_demo(profile["products"])
    assert not is_demo([{"sku": "AC-1"}])
    inquiry = CliRunner().invoke(main, ["inquiry", "--offline", "--no-store", "-"],
                                                 input="Please quote 3,000 pcs GFCI receptacle, FOB.")
    assert inquiry.exit_code == 0 and "DEMO company's catalogue" in inquiry.output


def test_a_catalogue_file_gives_price_breaks_too(tmp_path):
    path = tmp_path / "breaks.csv"
    path.write_text("sku,name,moq,breaks,certifications\nAC-1,Ceiling fan,,1000:20; 300:24.5 ;5000:18,UL\n"
                    "AC-2,Stand fan,100,100=9,CE\n", encoding="utf-8")
    first, second = read_catalogue(path)
    assert first["breaks"] == [[300, 24.5], [1000, 20.0], [5000, 18.0]] and second["breaks"] == [[100, 9.0]]
    assert "300+ 24.50, 1,000+ 20.00, 5,000+ 18.00" in preview([first, second])
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,name,breaks\nAC-1,Fan,1000 for 20\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="line 2.*quantity:price"):
        read_catalogue(bad)
