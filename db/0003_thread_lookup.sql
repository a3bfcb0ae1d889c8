-- 0003_thread_lookup: a reply finds the inquiry it answers by Message-ID (In-Reply-To, References)
-- without reading the whole table; every stored message with references asks.
CREATE INDEX IF NOT EXISTS inquiries_message_id ON inquiries(message_id);
