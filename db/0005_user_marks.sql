-- 0005_user_marks: the user's verdicts (`triage mark ID CATEGORY`) and the token counts learned from them.
-- `marks` is the truth: one verdict per inquiry, with the distinct tokens it was trained on (a JSON array).
-- `learned_tokens` counts, per token and category, the marked messages holding it; the triggers keep it
-- in step with `marks`, so removing a mark (a new verdict, `triage forget`, the inquiry's deletion)
-- untrains exactly what it trained, and a token no mark holds any more is gone from the file.
CREATE TABLE marks (
    inquiry_id  INTEGER PRIMARY KEY REFERENCES inquiries(id) ON DELETE CASCADE,
    category    TEXT NOT NULL,              -- genuine, phishing, scam, competitor, spam, not_inquiry
    judged      TEXT,                       -- the judge's category and tier, as the judge last saw it
    judged_tier TEXT,
    marked_at   TEXT NOT NULL,
    tokens      TEXT NOT NULL               -- JSON array of the message's distinct tokens
);
CREATE INDEX marks_category ON marks(category);

CREATE TABLE learned_tokens (
    token       TEXT NOT NULL,
    category    TEXT NOT NULL,
    messages    INTEGER NOT NULL,           -- marked messages of this category that hold the token
    PRIMARY KEY (token, category)
) WITHOUT ROWID;

CREATE TRIGGER marks_train AFTER INSERT ON marks
BEGIN
    INSERT INTO learned_tokens (token, category, messages)
        SELECT DISTINCT value, NEW.category, 1 FROM json_each(NEW.tokens) WHERE true
        ON CONFLICT (token, category) DO UPDATE SET messages = messages + 1;
END;

CREATE TRIGGER marks_untrain AFTER DELETE ON marks
BEGIN
    UPDATE learned_tokens SET messages = messages - 1
        WHERE category = OLD.category AND token IN (SELECT value FROM json_each(OLD.tokens));
    DELETE FROM learned_tokens
        WHERE category = OLD.category AND messages <= 0 AND token IN (SELECT value FROM json_each(OLD.tokens));
END;
