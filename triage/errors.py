"""One base exception for triage, one subclass per kind of failure.

The command line catches :class:`TriageError` and prints its message on one
line with a non-zero exit; nothing else should reach the user as a traceback.
"""


class TriageError(Exception):
    """Base of every error triage raises on purpose."""


class InputError(TriageError):
    """Raised when an input path or stream cannot be read (missing, unreadable, wrong kind)."""


class ParseError(TriageError):
    """Raised when a message cannot be understood at all (empty, not mail, not text)."""


class ProfileError(TriageError):
    """Raised when the seller profile is missing a required key or is not valid TOML."""


class DataFileError(TriageError):
    """Raised when a data file (signals, lexicons, cadences, lists) is invalid; names file and key."""


class StoreError(TriageError):
    """Raised when the database cannot be opened or migrated, or a record is not found."""


class NotFound(StoreError):
    """Raised when an inquiry id does not exist in the store."""


class TemplateError(TriageError):
    """Raised when a reply template is missing or refers to an undefined variable."""
