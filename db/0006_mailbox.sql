-- 0006_mailbox: where `triage fetch` stopped in each IMAP folder, and which sent replies it has read.
-- A folder's position holds for one UIDVALIDITY only: when the server changes it, the folder is read
-- again from the start (stored inquiries are keyed by Message-ID, so none is stored twice).
CREATE TABLE IF NOT EXISTS mailbox_folders (
    account      TEXT NOT NULL,             -- user@host
    folder       TEXT NOT NULL,
    uidvalidity  INTEGER NOT NULL,
    last_uid     INTEGER NOT NULL DEFAULT 0,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (account, folder)
);

-- A reply the salesperson sent (read from the Sent folder), once per Message-ID: the inquiry it
-- answers counts as touched on that day, however often the folder is read.
CREATE TABLE IF NOT EXISTS mailbox_sent (
    message_id   TEXT PRIMARY KEY,
    inquiry_id   INTEGER REFERENCES inquiries(id) ON DELETE CASCADE,
    account      TEXT NOT NULL,
    sent_at      TEXT                       -- the sent message's Date, ISO 8601
);
CREATE INDEX IF NOT EXISTS mailbox_sent_inquiry ON mailbox_sent(inquiry_id, sent_at);

-- Drafts triage put in a Drafts folder, so a second fetch or a second `draft --to-mailbox` does not
-- put the same reply there again.
CREATE TABLE IF NOT EXISTS mailbox_drafts (
    inquiry_id   INTEGER NOT NULL REFERENCES inquiries(id) ON DELETE CASCADE,
    account      TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    PRIMARY KEY (inquiry_id, account, message_id)
);

-- The salesperson's own edit of a reply draft (the browser's draft box), kept until replaced.
CREATE TABLE IF NOT EXISTS draft_edits (
    inquiry_id   INTEGER PRIMARY KEY REFERENCES inquiries(id) ON DELETE CASCADE,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    saved_at     TEXT NOT NULL
);
