"""Fetch throughput of `triage fetch` from a real dovecot on 127.0.0.1: a 5,000-message folder.

    python bench/mailbox_bench.py [--messages 5000] [--batch 100] [--triage]

Starts dovecot in a scratch directory (tests/dovecot.py; needs dovecot-imapd), writes the
folder as Maildir files, then times reading it by UID (what fetch does before the pipeline)
and, with --triage, the whole fetch (offline pipeline and store) too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--triage", action="store_true", help="also time the whole fetch (offline pipeline, store)")
    args = parser.parse_args()
    os.environ["TRIAGE_HOME"] = tempfile.mkdtemp(prefix="triage-bench-home-")

    import dovecot
    from triage import mailbox, store_mailbox
    from triage.pipeline import Options
    from triage.profile import load_profile
    from triage.store import Store

    reason = dovecot.unavailable()
    if reason:
        sys.exit(f"cannot run: {reason}")
    example = (ROOT / "examples" / "rfq-distributor.eml").read_bytes()
    raws = [example.replace(b"<20261117091244.4F2A@", f"<bench-{n}@".encode()) for n in range(args.messages)]
    server = dovecot.Dovecot(folders=("Bench",)).start()
    try:
        box = server.as_user("bench@example.test")
        box.maildir_put("Bench", raws)
        account = mailbox.parse_account({"host": "127.0.0.1", "port": server.port, "user": box.user,
                                         "security": "none", "folders": ["Bench"], "sent": False})
        client = box.client()
        client.select_folder("Bench", readonly=True)  # dovecot indexes the new files here, not timed
        with Store() as store:
            start = time.perf_counter()
            count = size = 0
            for _, batch in mailbox.new_messages(client, account, "Bench", store, batch=args.batch):
                count += len(batch)
                size += sum(len(raw) for _, raw in batch)
            took = time.perf_counter() - start
        client.logout()
        print(f"read {count} messages ({size / 1e6:.1f} MB) by UID in batches of {args.batch}: "
              f"{took:.2f} s, {count / took:,.0f} messages/s")
        if args.triage:
            with Store() as store:
                start = time.perf_counter()
                report = mailbox.fetch(account, load_profile(), store, Options(offline=True),
                                       batch=args.batch, secret=dovecot.PASSWORD)
                took = time.perf_counter() - start
                assert store_mailbox.position(store, account.key, "Bench")[1] == args.messages
            print(f"fetch (read, offline pipeline, store): {report.read} messages in {took:.1f} s, "
                  f"{report.read / took:,.0f} messages/s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
