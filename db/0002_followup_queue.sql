-- 0002_followup_queue: indexes for `triage queue` (new inquiries by status, next steps by inquiry).
CREATE INDEX IF NOT EXISTS inquiries_status ON inquiries(status, tier);
CREATE INDEX IF NOT EXISTS followups_inquiry_status ON followups(inquiry_id, status, step);
