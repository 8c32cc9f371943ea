"""Case references: format, separate sequences, and uniqueness under concurrency."""
from __future__ import annotations

import threading

import pytest

from runtime.storage.references import format_reference, next_case_reference, next_sequence_value

THREADS = 8
PER_THREAD = 25


def test_reference_format():
    assert format_reference("RIX", "SUN", 2026, 123) == "RIX-SUN-2026-000123"
    assert format_reference("RIX", "SUN", 2026, 1234567) == "RIX-SUN-2026-1234567"


def test_sequences_count_per_municipality_service_and_year(database):
    with database.transaction() as session:
        assert next_case_reference(session, "riga", "RIX", "SUN", 2026) == "RIX-SUN-2026-000001"
        assert next_case_reference(session, "riga", "RIX", "SUN", 2026) == "RIX-SUN-2026-000002"
        assert next_case_reference(session, "riga", "RIX", "TIR", 2026) == "RIX-TIR-2026-000001"
        assert next_case_reference(session, "riga", "RIX", "SUN", 2027) == "RIX-SUN-2027-000001"
        assert next_case_reference(session, "jurmala", "JUR", "SUN", 2026) == "JUR-SUN-2026-000001"


def test_a_rolled_back_transaction_gives_its_number_back(database):
    with pytest.raises(RuntimeError):
        with database.transaction() as session:
            next_sequence_value(session, "riga", "SUN", 2026)
            raise RuntimeError("the submission failed")
    with database.transaction() as session:
        assert next_sequence_value(session, "riga", "SUN", 2026) == 1


def test_numbers_are_unique_and_gapless_under_concurrency(database):
    values: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def take_numbers() -> None:
        try:
            start.wait()
            for _ in range(PER_THREAD):
                with database.transaction() as session:  # one transaction per number
                    values.append(next_sequence_value(session, "riga", "SUN", 2026))
        except BaseException as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=take_numbers) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(values) == list(range(1, THREADS * PER_THREAD + 1))
