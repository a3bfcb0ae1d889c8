-- 0001_initial: inquiries, their follow-up steps, events on them, and cached lookups.
-- Migrations are append-only: never edit a shipped file, add a new one.

CREATE TABLE inquiries (
    id            INTEGER PRIMARY KEY,
    dedupe_key    TEXT NOT NULL UNIQUE,     -- Message-ID, or a hash of normalised pasted text
    message_id    TEXT,
    in_reply_to   TEXT,
    thread_id     INTEGER REFERENCES inquiries(id) ON DELETE SET NULL,
    source_kind   TEXT NOT NULL,            -- eml, mbox, text
    source_path   TEXT,
    received      TEXT,                     -- the message's own date, ISO 8601
    triaged_at    TEXT NOT NULL,
    sender_name   TEXT,
    sender_email  TEXT,
    sender_domain TEXT,
    contact_name  TEXT,
    company_name  TEXT,
    country       TEXT,
    subject       TEXT,
    products      TEXT,                     -- SKUs, space separated
    language      TEXT,
    category      TEXT,
    tier          TEXT,
    persona       TEXT,
    money         INTEGER,
    authority     INTEGER,
    need          INTEGER,
    authenticity  INTEGER,
    verdict       TEXT,
    status        TEXT NOT NULL DEFAULT 'new',   -- new, open, replied, won, lost
    status_reason TEXT,
    body          TEXT,                     -- the writer's new text, for search and history
    record        TEXT NOT NULL             -- the whole JSON contract
);
CREATE INDEX inquiries_received ON inquiries(received);
CREATE INDEX inquiries_sender ON inquiries(sender_email);
CREATE INDEX inquiries_domain ON inquiries(sender_domain);
CREATE INDEX inquiries_tier ON inquiries(tier, category);

CREATE TABLE followups (
    id          INTEGER PRIMARY KEY,
    inquiry_id  INTEGER NOT NULL REFERENCES inquiries(id) ON DELETE CASCADE,
    step        INTEGER NOT NULL,
    due         TEXT NOT NULL,              -- ISO date
    purpose     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending',  -- pending, done, stopped
    done_at     TEXT,
    UNIQUE (inquiry_id, step)
);
CREATE INDEX followups_due ON followups(status, due);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    inquiry_id  INTEGER NOT NULL REFERENCES inquiries(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,              -- triaged, retriaged, sent, snoozed, replied, won, lost
    detail      TEXT
);
CREATE INDEX events_inquiry ON events(inquiry_id, at);

CREATE TABLE lookups (
    domain      TEXT PRIMARY KEY,
    fetched_at  TEXT NOT NULL,
    data        TEXT NOT NULL               -- the enrichment facts for this domain, JSON
);
