"""bench/draft_bar.py, the drafts' bar, over a directory of real .eml files: it counts what the drafts say."""

from __future__ import annotations

import shutil
from email.message import EmailMessage
from pathlib import Path

from conftest import bench_module

THREADS = Path(__file__).parent / "draft_threads"


def _rfq(path: Path, body: str, mid: str) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Jan Novak <jan.novak@elektro-novak.cz>", "sales@brightline-electrical.com", "RFQ"
    msg["Message-ID"], msg["Date"] = mid, "Mon, 02 Nov 2026 09:00:00 +0100"
    msg.set_content(body)
    path.write_bytes(bytes(msg))


def test_the_bar_counts_quantity_term_questions_and_language(tmp_path, capsys):
    shutil.copy(THREADS / "1-first.eml", tmp_path / "a.eml")
    _rfq(tmp_path / "b.eml", "Dear Sir,\n\nPlease quote CIF Gdansk:\n\n- Schuko socket, white - 6,000 pcs\n"
         "- LED downlight 12W - 2,000 pcs\n\nWhat is your lead time?\n\nBest regards\nJan Novak\n"
         "Purchasing Manager\nElektro Novak s.r.o.\nTel +420 387 221 450\nwww.elektro-novak.cz\n", "<b-1@elektro-novak.cz>")
    _rfq(tmp_path / "c.eml", "Dear Sir,\n\nWe need 4,000 pcs of circuit breakers 3P 63A, FOB. Price?\n\nJan Novak\n"
         "Purchasing Manager\nElektro Novak s.r.o.\nwww.elektro-novak.cz\n", "<c-1@elektro-novak.cz>")
    bench_module("draft_bar").main(tmp_path, verbose=True)
    out = capsys.readouterr().out
    assert "quantity        2/2 = 100%" in out  # 20,000 pcs; 8,000 pcs over two lines
    assert "incoterm        2/2 = 100%" in out  # FOB, CIF; the breakers are not ours: no term to price
    assert "questions       2/2 = 100%" in out and "language        3/3 = 100%" in out
    assert "c.eml: 4,000 pcs, no catalogue product matched" in out


def test_a_question_answered_earlier_in_the_chat_is_listed_not_counted(tmp_path, capsys):
    shutil.copy(Path(__file__).parent / "draft_inputs" / "chat-settled-pt.txt", tmp_path / "chat.txt")
    bench_module("draft_bar").main(tmp_path, verbose=True)
    out = capsys.readouterr().out
    assert "settled         2 questions" in out  # "é da Brightline?" and the MOQ, both answered by Lisa
    assert "chat.txt: Qual é o pedido mínimo? -> Pedido mínimo: tomada schuko 3000 pcs" in out
    assert "questions       2/2 = 100%" in out  # the IP44 question (put off: to fill) and the payment one
