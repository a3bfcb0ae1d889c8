-- 0004_message_identity: a stored inquiry is the Message-ID together with a digest of the message's
-- content (sender, Date, body as written). A different message that reuses a known Message-ID is
-- stored as a new row (dedupe_key 'mid:<id>#<digest>') instead of replacing the first one.
-- Rows stored before this migration have no digest; they match a re-import by sender.
ALTER TABLE inquiries ADD COLUMN content_digest TEXT;
