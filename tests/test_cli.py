"""The command line as a user runs it: the installed `triage` script, real files, a real database."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage.cli import main

from conftest import INQUIRIES, needs_shared

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "rfq-distributor.eml"
PASTED = ROOT / "examples" / "pasted-platform.txt"
CONTRACT = {"id", "source", "sender", "contact", "company", "request", "language", "attachments", "enrichment",
            "scores", "category", "tier", "signals", "persona", "draft", "followups"}


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def test_every_command_has_help():
    for name, command in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert command.help and len(command.help.strip()) > 10, name


def test_inquiry_prints_a_report_and_stores_it(triage_home):
    result = run("inquiry", "--offline", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "Henrik Lindqvist" in result.output and "BL-EU16" in result.output
    assert "demo seller profile" in result.output  # says so, once
    assert (triage_home / "triage.db").exists()
    listed = run("list", "--json")
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [r["company_name"] for r in rows] == ["Nordvolt Grossist AB"]
    again = run("inquiry", "--offline", str(EXAMPLE))
    assert "updated #1" in again.output
    assert len(run("list", "--json").output.splitlines()) == 1


def test_json_contract_one_object_per_line():
    result = run("inquiry", "--offline", "--json", "--no-store", str(EXAMPLE), str(PASTED))
    lines = [line for line in result.output.splitlines() if line.startswith("{")]
    assert len(lines) == 2
    for line in lines:
        record = json.loads(line)
        assert CONTRACT <= set(record)
        assert set(record["request"]) >= {"products", "quantity", "deadline", "incoterm", "destination",
                                          "certifications", "sample_requested", "payment_terms", "questions"}
        assert set(record["scores"]) == {"money", "authority", "need", "authenticity"}
    pasted = json.loads(lines[1])
    assert pasted["source"]["kind"] == "text" and pasted["source"]["platform"] == "alibaba"
    assert pasted["company"]["country"] == "JO"


def test_bad_inputs_are_listed_and_good_ones_still_stored(tmp_path):
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    result = run("inquiry", "--offline", str(EXAMPLE), str(empty), str(tmp_path / "nope.eml"))
    assert result.exit_code == 1
    assert "2 input(s) could not be triaged" in result.output
    assert "empty.eml: empty file" in result.output and "nope.eml: no such file" in result.output
    assert "Traceback" not in result.output
    assert len(run("list", "--json").output.splitlines()) == 1


def test_standard_input_and_paste_end_marker():
    result = run("inquiry", "--offline", "--no-store", "-", input=PASTED.read_text())
    assert result.exit_code == 0 and "Haddad Electrical Supplies LLC" in result.output


def test_show_export_csv_and_json(tmp_path):
    run("inquiry", "--offline", str(EXAMPLE), str(PASTED))
    shown = run("show", "1")
    assert shown.exit_code == 0 and "Nordvolt" in shown.output
    assert run("show", "99").exit_code == 1
    rows = list(csv.DictReader(io.StringIO(run("export").output)))
    assert {r["company_name"] for r in rows} == {"Nordvolt Grossist AB", "Haddad Electrical Supplies LLC"}
    out = tmp_path / "all.json"
    assert run("export", "--format", "json", "-o", str(out)).exit_code == 0
    assert len(json.loads(out.read_text())) == 2


def test_report_in_chinese():
    result = run("inquiry", "--offline", "--no-store", "--lang", "zh", str(EXAMPLE))
    assert "联系人" in result.output and "需求" in result.output


def test_init_writes_a_profile_that_is_then_used(triage_home, tmp_path):
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text("sku,name,aliases,moq,price_min,price_max,certifications\n"
                         "AC-1,Ceiling fan 52 inch,ceiling fan;fan,500,20,28,UL;ETL\n")
    answers = "\n".join(["Acme Fans Ltd", "Acme", "manufacturer", "ceiling fans", "Foshan", "CN", "2012", "60", "1",
                         "https://www.acmefans.example/", "sales@acmefans.example", "Amy", "en", "Shenzhen",
                         "30% deposit", "30 days", "free samples", "30-40", "7", "0", "US, EU", "UL, ETL", "CE", "y",
                         "table fan, stand fan", "Zhongshan"]) + "\n"
    result = run("init", "--catalogue", str(catalogue), input=answers)
    assert result.exit_code == 0, result.output
    text = (triage_home / "profile.toml").read_text()
    assert 'name = "Acme Fans Ltd"' in text and "AC-1" in text
    assert 'not_made = ["table fan", "stand fan"]' in text and 'maker_places = ["Zhongshan"]' in text
    assert 'domains = ["acmefans.example"]' in text and 'trade = "ceiling fans"' in text
    assert "lead_time_days = [30, 40]" in text and "sample_days = [7, 7]" in text and "container_pcs = 0" in text
    assert "Ningbo" not in text and "samples_es" not in text  # no demo fact left that a reply would state
    report = run("inquiry", "--offline", "--no-store", "-", input="Please quote 2,000 pcs ceiling fan 52 inch, FOB.")
    assert "AC-1" in report.output and "demo seller" not in report.output
    assert run("init").exit_code == 1  # exists: needs --force


def test_installed_script_finds_its_data(tmp_path):
    script = shutil.which("triage", path=str(Path(sys.executable).parent))
    assert script, "the triage console script is installed beside this Python"
    env = {**os.environ, "TRIAGE_HOME": str(tmp_path)}
    result = subprocess.run([script, "inquiry", "--offline", "--json", str(EXAMPLE)], capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.splitlines()[-1])
    assert record["tier"] in {"A", "B", "C", "D"} and record["persona"]["type"] and record["draft"]["body"]
    signals = subprocess.run([script, "signals", "test"], capture_output=True, text=True, env=env, cwd=tmp_path,
                             timeout=120)
    assert signals.returncode == 0, signals.stdout + signals.stderr


@needs_shared(INQUIRIES)
def test_same_input_same_output_on_every_run(tmp_path):
    """No set or hash order leaks into the record: evidence lists come out in the same order whatever
    Python's hash seed (several certificates asked, persona cues in two categories at once)."""
    script = shutil.which("triage", path=str(Path(sys.executable).parent))
    files = [str(INQUIRIES / n) for n in ("d019.eml", "d043.eml", "d046.eml", "d096.eml")]
    outputs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "TRIAGE_HOME": str(tmp_path / seed), "PYTHONHASHSEED": seed}
        result = subprocess.run([script, "inquiry", "--offline", "--json", "--no-store", *files], capture_output=True,
                                text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        outputs.append([{k: v for k, v in json.loads(line).items() if k not in ("id", "followups")}
                        for line in result.stdout.splitlines() if line.startswith("{")])
    assert len(outputs[0]) == 4 and outputs[0] == outputs[1] == outputs[2]


@pytest.mark.parametrize("args", [["show", "abc"], ["list", "--tier", "Z"], ["eval", "/no/such/dir"]])
def test_usage_errors_exit_non_zero_without_traceback(args):
    result = run(*args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_phishing_gets_a_warning_and_no_draft():
    from conftest import INQUIRIES

    if not INQUIRIES.exists():
        pytest.skip("../shared/inquiries is not beside the checkout")
    result = run("inquiry", "--offline", "--no-store", str(INQUIRIES / "d029.eml"))
    assert "Warning" in result.output and "Do not click its links" in result.output
    assert "Draft" not in result.output
    record = json.loads(run("inquiry", "--offline", "--no-store", "--json", str(INQUIRIES / "d029.eml")).output
                        .splitlines()[-1])
    assert record["category"] == "phishing" and record["tier"] == "D" and record["draft"] is None


def test_export_ics_writes_the_follow_ups(tmp_path):
    run("inquiry", "--offline", str(EXAMPLE))
    target = tmp_path / "followups.ics"
    result = run("export", "--ics", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.startswith("BEGIN:VCALENDAR") and text.count("BEGIN:VEVENT") >= 2
    assert "Nordvolt" in text or "Henrik" in text


def test_csv_export_disarms_formulas(tmp_path):
    mail = tmp_path / "formula.eml"
    mail.write_bytes(b"From: Eve <eve@shop.example>\nSubject: =HYPERLINK(\"http://evil.example\",\"open\")\n"
                     b"Message-ID: <f1@shop.example>\n\nPlease quote 2,000 pcs UK 13A switched socket.\n")
    run("inquiry", "--offline", str(mail))
    rows = list(csv.DictReader(io.StringIO(run("export").output)))
    assert rows[0]["subject"].startswith("'=HYPERLINK")
