"""Keep Latvian personal codes out of the logs.

Masking happens in the log record factory, so it covers every record of every logger
(Flask's, Werkzeug's request lines, gunicorn's, libraries') whatever handlers are added
later. `PersonalCodeFilter` does the same for a handler that is configured elsewhere.
"""
from __future__ import annotations

import logging
import re
import threading

# Every written form that sign-in accepts (`identity.normalise_personal_code` drops
# spaces and hyphens anywhere and a "PNOLV" prefix), and the same in a URL ("%20", "+"):
# eleven digits with any such separators between them, not part of a longer number.
SEPARATOR = r"(?:[ +-]|%20|%2[dD])*"
PERSONAL_CODE = re.compile(rf"(?<!\d)(?:\d{SEPARATOR}){{10}}\d(?!\d)")
MASK = "******-*****"

_install_lock = threading.Lock()
_installed = False


# A resume link's token opens a draft: it never reaches a log either (werkzeug's and
# gunicorn's request lines go through the same record factory).
RESUME_TOKEN = re.compile(r"(/resume/)[^\s/?\"']+")


def mask_personal_codes(text: str) -> str:
    return RESUME_TOKEN.sub(r"\1[token]", PERSONAL_CODE.sub(MASK, text))


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Render the message with its arguments, mask it, and freeze the result so that no
    formatter can re-render the unmasked arguments."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string must not lose the record: keep it raw
        message = f"{record.msg} {record.args}"
    record.msg, record.args = mask_personal_codes(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_personal_codes(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_personal_codes(record.stack_info)
    return record


class PersonalCodeFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def install_log_masking() -> None:
    """Wrap the process's log record factory once; calling again does nothing."""
    global _installed
    with _install_lock:
        if _installed:
            return
        make_record = logging.getLogRecordFactory()

        def masked_record(*args, **kwargs) -> logging.LogRecord:
            return mask_record(make_record(*args, **kwargs))

        logging.setLogRecordFactory(masked_record)
        _installed = True
