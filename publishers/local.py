"""Every stand-in on local ports, for a demo (`pkip stand-ins`) and for development
(`pkip serve` starts them unless PKIP_PUBLISHER_STANDINS=false): the latvija.lv
catalogue, PSPP, data.gov.lv's CKAN and DIV (https with mutual TLS; its keys are made at each start in
`folder`, never committed), and a back office's webhook receiver (its secret is made at
each start: `webhook_secret`). `settings` are the publisher settings that point at them."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue_standin import CatalogueStandIn
from .div_standin import DivStandIn
from .opendata_standin import CkanStandIn
from .pki import make_local_pki, server_tls_context
from .pspp_standin import PsppStandIn
from .standin import serve
from .webhooks import new_secret
from .webhooks_standin import WebhookReceiverStandIn

DEFAULT_PORTS = {"catalogue": 5101, "pspp": 5102, "div": 5103, "opendata": 5104, "webhooks": 5105}


@dataclass
class LocalStandIns:
    apps: dict[str, Any] = field(default_factory=dict)
    servers: dict[str, Any] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    webhook_secret: str = ""

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()


def start_standins(folder: Path, host: str = "127.0.0.1", ports: dict[str, int] | None = None) -> LocalStandIns:
    """Start the three stand-ins (port 0: any free one) and say how to reach them."""
    ports = {**DEFAULT_PORTS, **(ports or {})}
    pki = make_local_pki(folder / "pki")
    started = LocalStandIns(webhook_secret=new_secret())
    started.apps = {"catalogue": CatalogueStandIn(), "pspp": PsppStandIn(),
                    "div": DivStandIn(senders=[pki.certificate("sender").read_text()]), "opendata": CkanStandIn(),
                    "webhooks": WebhookReceiverStandIn(secrets=[started.webhook_secret])}
    for name, app in started.apps.items():
        tls = server_tls_context(pki) if name == "div" else None
        server = serve(app, host, ports[name], ssl_context=tls)
        started.servers[name] = server
        started.urls[name] = f"{'https' if tls else 'http'}://{host}:{server.port}"
    started.settings = {
        "catalogue_url": started.urls["catalogue"], "pspp_url": started.urls["pspp"], "div_url": started.urls["div"],
        "div_certificate": str(pki.certificate("sender")), "div_key": str(pki.key("sender")), "div_ca_file": str(pki.ca),
        "opendata_url": started.urls["opendata"] + "/dati/lv",
    }
    return started
