-- 0007_conversation_lookup: a conversation's messages found by their thread_id without reading the whole
-- table; every message that continues a stored conversation asks (triage.thread.history).
CREATE INDEX IF NOT EXISTS inquiries_thread ON inquiries(thread_id);
