"""Named limits that bound what one message may cost to parse.

Mail from strangers may be huge or hostile; every limit here is checked by the
parse stage, and what it cut is recorded in ``Message.notes``.
"""

MAX_MESSAGE_BYTES = 25 * 1024 * 1024  # a message is read up to this size; the rest is dropped
MAX_HEADER_CHARS = 16_000  # a single header value longer than this is cut
MAX_HEADER_FIELDS = 1_000  # header fields read per header block (past these, only the ones triage uses)
MAX_PARTS = 500  # MIME parts walked per message
MAX_ATTACHMENTS = 200  # attachments recorded per message (the rest are counted)
MAX_DEPTH = 12  # MIME / forwarded-message nesting followed
MAX_TEXT_CHARS = 200_000  # characters of body text analysed
MAX_HTML_BYTES = 2 * 1024 * 1024  # HTML converted to text (beyond: cut)
MAX_LINKS = 200  # links recorded per message
MAX_DECODED_PART_BYTES = 8 * 1024 * 1024  # a text part decoded beyond this is cut
