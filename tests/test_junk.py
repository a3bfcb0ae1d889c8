"""Junk is no buyer: binary files, documents, empty files and a bare "hello" are refused or
not_inquiry, and a batch over a directory lists every file it skipped, by name, with why."""

from __future__ import annotations

import json
import os
import random

from click.testing import CliRunner

from triage.cli import main

INQUIRY = (b"From: Karen Brandt <k.brandt@lakeshore-elec-supply.com>\nTo: sales@brightline-electrical.com\n"
           b"Subject: GFCI receptacles\nDate: Mon, 16 Nov 2026 09:00:00 -0500\n\n"
           b"Please quote 5,000 pcs of your 20A GFCI receptacle, UL listed, FOB Ningbo.\n\nKaren Brandt\n")


def _junk_dir(tmp_path):
    rng = random.Random(15)
    folder = tmp_path / "inbox"
    folder.mkdir()
    noise = bytes(rng.randrange(256) for _ in range(4000))
    (folder / "noise.bin").write_bytes(noise)
    (folder / "noise.txt").write_bytes(noise)
    (folder / "offer.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n")
    (folder / "scan.txt").write_bytes(b"%PDF-1.4\n1 0 obj <</Length 12>> stream\nBT /F1 12 Tf ET\nendstream\n")
    (folder / "empty.eml").write_bytes(b"")
    (folder / "hello.txt").write_text("hello\n")
    (folder / "rfq.eml").write_bytes(INQUIRY)
    return folder


def test_a_batch_judges_the_mail_and_lists_each_skipped_file_with_its_reason(tmp_path):
    folder = _junk_dir(tmp_path)
    env = {"TRIAGE_HOME": str(tmp_path / "home")}
    result = CliRunner(env=env).invoke(main, ["inquiry", "--offline", "--no-store", "--json", str(folder)])
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    by_file = {os.path.basename(r["source"]["path"]): r for r in records}
    assert sorted(by_file) == ["hello.txt", "rfq.eml"]
    assert by_file["rfq.eml"]["category"] == "genuine"
    assert by_file["hello.txt"]["category"] == "not_inquiry" and by_file["hello.txt"]["tier"] == "D"
    assert by_file["hello.txt"]["persona"]["type"] is None
    err = result.stderr
    for name, reason in [("noise.txt", "binary content"), ("scan.txt", "binary content"),
                         ("empty.eml", "empty file"), ("noise.bin", "not mail (a .bin file)"),
                         ("offer.pdf", "not mail (a .pdf file)")]:
        line = next((x for x in err.splitlines() if name in x), None)
        assert line is not None and reason in line, (name, err)
    assert "file(s) skipped" in err and "could not be triaged" in err
    assert result.exit_code == 1  # inputs that could not be read make the batch fail, as before


def test_a_document_named_on_the_command_line_is_refused_not_judged(tmp_path):
    pdf = tmp_path / "po.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n")
    env = {"TRIAGE_HOME": str(tmp_path / "home")}
    result = CliRunner(env=env).invoke(main, ["inquiry", "--offline", "--no-store", "--json", str(pdf)])
    assert not [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert "po.pdf: binary content" in result.stderr
