"""A fixture serving stand-ins on free local ports (tests of publishers and runtime)."""
from __future__ import annotations

import pytest

from publishers.standin import serve


@pytest.fixture
def served():
    """`served(app)` -> base URL of `app` on a free local port; stopped after the test."""
    servers = []

    def start(app, **options):
        server = serve(app, **options)
        servers.append(server)
        scheme = "https" if options.get("ssl_context") else "http"
        return f"{scheme}://127.0.0.1:{server.port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def pspp_event(case_id: str = "RIG-DOG-2026-1", sequence: int = 1, status_id: str = "submitted",
               channel: str = "e-service", **state) -> dict:
    """The plain data of one status change, as `runtime.publishing` builds it."""
    return {"service_id": "pkip.riga.dog-fee", "case_id": case_id, "sequence": sequence,
            "channel": channel, "state": {"id": status_id, "initial": sequence == 1, **state},
            "occurred_at": "2026-03-02T10:00:00+00:00", "subject_kind": None, "fee_paid": False,
            "fee_amount": "10.00", "submitted_at": "2026-03-02T10:00:00+00:00"}
