"""Bounded cost: each hostile message is parsed and extracted within seconds and a few hundred MB.

Every case runs in its own Python process (with an address-space limit as a guard),
which builds the message, then times ``parse_item`` + ``extract`` and reports its
peak resident memory. The limits are the named settings in ``triage/limits.py``;
what they cut must be recorded in ``Message.notes``.

Run alone, with the figures: ``python -m pytest tests/test_hardening_limits.py -v -s``
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from triage import limits

pytestmark = pytest.mark.slow

MAX_SECONDS = 5.0
MAX_RSS_MB = 600
GUARD_BYTES = 3 * 1024**3  # RLIMIT_AS of the child: a runaway fails instead of swapping

HEAD = (b"From: Buyer <buyer@example.com>\r\nTo: sales@seller.com\r\nSubject: RFQ LED panels\r\n"
        b"Message-ID: <hostile@example.com>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n")

# Each case: python code building `raw` (bytes) from HEAD, and the note it must leave (or None).
CASES = {
    "50 MB message": (
        "raw = HEAD + b'Content-Type: text/plain\\r\\n\\r\\n' + "
        "(b'We need 5000 pcs of LED panel lights, FOB Ningbo.\\r\\n' * 1_100_000)[: 50 * 2**20]",
        "bytes cut to"),
    "5,000 attachments": (
        "part = b'--B\\r\\nContent-Type: application/pdf\\r\\nContent-Disposition: attachment; "
        "filename=\"f.pdf\"\\r\\nContent-Transfer-Encoding: base64\\r\\n\\r\\nJVBERi0xLjQK\\r\\n'\n"
        "raw = HEAD + b'Content-Type: multipart/mixed; boundary=\"B\"\\r\\n\\r\\n--B\\r\\n"
        "Content-Type: text/plain\\r\\n\\r\\nPlease quote.\\r\\n' + part * 5000 + b'--B--\\r\\n'",
        "attachments"),
    "2 million tiny MIME parts": (
        "raw = HEAD + b'Content-Type: multipart/mixed; boundary=\"B\"\\r\\n\\r\\n' "
        "+ b'--B\\r\\n\\r\\nx\\r\\n' * 2_000_000 + b'--B--\\r\\n'",
        "MIME parts"),
    "multipart nested 1,000 deep": (
        "n = 1000\n"
        "raw = HEAD + b'Content-Type: multipart/mixed; boundary=\"b0\"\\r\\n\\r\\n' "
        "+ b''.join(b'--b%d\\r\\nContent-Type: multipart/mixed; boundary=\"b%d\"\\r\\n\\r\\n' % (i, i + 1) "
        "for i in range(n)) + b'--b%d\\r\\nContent-Type: text/plain\\r\\n\\r\\nhello\\r\\n' % n "
        "+ b''.join(b'--b%d--\\r\\n' % i for i in range(n, -1, -1))",
        "MIME nesting"),
    "forwarded messages nested 1,000 deep": (
        "raw = HEAD + b'Content-Type: message/rfc822\\r\\n\\r\\n' "
        "+ b'From: a@b.com\\r\\nSubject: fwd\\r\\nContent-Type: message/rfc822\\r\\n\\r\\n' * 1000 "
        "+ b'From: a@b.com\\r\\n\\r\\nhello'",
        "MIME nesting"),
    "20 MB header line": (
        "raw = HEAD + b'X-Long: ' + b'a' * (20 * 2**20) + b'\\r\\nContent-Type: text/plain\\r\\n\\r\\nhi\\r\\n'",
        "header lines longer"),
    "3 million header fields": (
        "raw = HEAD + b'X-A: b\\r\\n' * 3_000_000 + b'\\r\\nhi\\r\\n'",
        "header fields"),
    "HTML of 100,000 nested tags": (
        "raw = HEAD + b'Content-Type: text/html\\r\\n\\r\\n<html><body>' + b'<div>' * 100_000 "
        "+ b'Quote 500 pcs' + b'</div>' * 100_000 + b'</body></html>'",
        None),
    "HTML of 90,000 unclosed links": (
        "raw = HEAD + b'Content-Type: text/html\\r\\n\\r\\n' + b'<a href=http://x.example/>' * 90_000",
        None),
    "base64 part expanding to 19 MB": (
        "import base64\n"
        "raw = HEAD + b'Content-Type: text/plain\\r\\nContent-Transfer-Encoding: base64\\r\\n\\r\\n' "
        "+ base64.encodebytes(b'We need LED panels for a hotel. ' * (19 * 2**20 // 32))",
        "text part of"),
    "quoted-printable HTML of 24 MB": (
        "raw = HEAD + b'Content-Type: text/html\\r\\nContent-Transfer-Encoding: quoted-printable\\r\\n\\r\\n' "
        "+ b'<p>=3D=\\r\\n' * (2 * 2**20)",
        "HTML body of"),
}

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({guard}, {guard}))
    from triage.extract import extract
    from triage.inputs import Item, parse_item
    from triage.profile import load_profile
    profile = load_profile()
    HEAD = {head!r}
    {build}
    started = time.perf_counter()
    message = parse_item(Item("hostile.eml", "eml", raw=raw))
    parsed = time.perf_counter()
    inquiry = extract(message, profile)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({{"seconds": seconds, "parse_seconds": parsed - started, "rss_mb": rss,
                      "notes": message.notes, "size": len(raw),
                      "body": message.body[:2000], "attachments": len(message.attachments)}}))
""")


def run_case(build: str, timeout: float = 120) -> dict:
    code = CHILD.format(guard=GUARD_BYTES, head=HEAD, build=build)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_message_costs_little(name):
    build, note = CASES[name]
    result = run_case(build)
    print(f"\n{name}: {result['size'] / 2**20:.1f} MB in, {result['seconds']:.2f} s "
          f"(parse {result['parse_seconds']:.2f} s), "
          f"peak RSS {result['rss_mb']:.0f} MB, notes {result['notes']}")
    assert result["seconds"] < MAX_SECONDS, result
    assert result["rss_mb"] < MAX_RSS_MB, result
    if note:
        assert any(note in n for n in result["notes"]), result["notes"]


def test_a_body_dense_with_quantities_is_extracted_within_seconds():
    build = ("raw = HEAD + b'Content-Type: text/plain\\r\\n\\r\\n' + b'Need 500 pcs. ' * (2**20 // 14)")
    result = run_case(build, timeout=3 * MAX_SECONDS)
    assert result["seconds"] < MAX_SECONDS, result


def test_text_inside_deeply_nested_html_is_still_read():
    result = run_case(CASES["HTML of 100,000 nested tags"][0])
    assert "Quote 500 pcs" in result["body"]


def test_attachments_are_counted_within_the_limit():
    result = run_case(CASES["5,000 attachments"][0])
    assert result["attachments"] <= limits.MAX_ATTACHMENTS
    assert "Please quote." in result["body"]


def test_a_hostile_message_through_the_whole_command(tmp_path):
    """The installed command on a 50 MB message: a report, not a hang or a traceback."""
    import shutil
    from pathlib import Path

    path = tmp_path / "huge.eml"
    path.write_bytes(HEAD + b"Content-Type: text/plain\r\n\r\n"
                     + (b"We need 5000 pcs of LED panel lights, FOB Ningbo.\r\n" * 1_100_000)[: 50 * 2**20])
    triage = shutil.which("triage", path=str(Path(sys.executable).parent))
    done = subprocess.run([triage, "inquiry", "--offline", "--no-store", "--json", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    record = json.loads(done.stdout)
    assert any("cut" in note for note in record["parse_notes"])


def test_a_150_mb_mbox_is_split_one_message_at_a_time():
    code = textwrap.dedent("""
        import json, resource, time
        from triage.inputs import iter_mbox
        msg = b'From x@y Mon Nov  2 10:00:00 2026\\nFrom: a@b.com\\nSubject: hi\\n\\n' + b'body line\\n' * 100 + b'\\n'
        raw = msg * 150_000
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        count = sum(1 for _ in iter_mbox(raw))
        print(json.dumps({"count": count, "seconds": time.perf_counter() - started,
                          "extra_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before}))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    print(f"\n150 MB mbox: {result}")
    assert result["count"] == 150_000 and result["seconds"] < 10 and result["extra_mb"] < 50
