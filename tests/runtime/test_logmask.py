"""No Latvian personal code reaches a log, whatever logger or handler writes it."""
from __future__ import annotations

import io
import logging

import pytest

from runtime.logmask import MASK, PersonalCodeFilter, install_log_masking, mask_personal_codes


@pytest.mark.parametrize("code", ["010190-15267", "01019015267", "321234-56789", "010190 15267", "PNOLV01019015267",
                                  "PNOLV-010190-15267", "pnolv 010190 15267", "0101 90-152 67", "010190--15267",
                                  "010190%2015267", "010190+15267"])
def test_every_form_that_sign_in_accepts_is_masked(code):
    from runtime.identity import normalise_personal_code

    assert normalise_personal_code(code.replace("%20", " ").replace("+", " ")) is not None
    masked = mask_personal_codes(f"person {code} applied")
    assert "15267" not in masked and "56789" not in masked and MASK in masked


@pytest.mark.parametrize("text", ["order 123456789012345", "IBAN LV89RIKO0023300000000", "2026-02-01",
                                  "2026-02-01 13:24:25,123", "chip 900123456789012", "+371 2000 000"])
def test_other_numbers_are_left_alone(text):
    assert mask_personal_codes(text) == text


def capture(logger_name: str) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    logger = logging.getLogger(logger_name)
    logger.handlers = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, stream


def test_every_record_is_masked_once_installed():
    install_log_masking()
    logger, stream = capture("pkip.test.any_logger")
    logger.info("sign-in by %s from %s", "010190-15267", "10.0.0.1")
    logger.warning("GET /riga/?code=01019015267 HTTP/1.1")
    output = stream.getvalue()
    assert "15267" not in output
    assert output.count(MASK) == 2 and "10.0.0.1" in output


def test_exception_text_is_masked():
    install_log_masking()
    logger, stream = capture("pkip.test.exceptions")
    try:
        raise ValueError("bad code 010190-15267")
    except ValueError:
        logger.exception("failed")
    assert "010190-15267" not in stream.getvalue()
    assert "ValueError: bad code " + MASK in stream.getvalue()


def test_filter_masks_records_made_elsewhere():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "code %s", ("010190-15267",), None)
    assert PersonalCodeFilter().filter(record) is True
    assert record.getMessage() == f"code {MASK}"
