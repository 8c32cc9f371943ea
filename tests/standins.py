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
