"""Only the outbox worker renders PDFs, so a web worker does not import WeasyPrint: it
costs each web worker about half a second of start-up and some 24 MB (issue 11)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys, tempfile
from app import create_app
folder = tempfile.mkdtemp()
app = create_app({"instance_path": folder, "env": "testing", "auto_upgrade": True,
                  "database_url": f"sqlite:///{folder}/web.sqlite3"})
served = app.test_client().get("/").status_code
web = "weasyprint" in sys.modules
from runtime.documents.jobs import render_application_pdf
from runtime.documents import pdf
print(json.dumps({"served": served, "web": web, "worker": "weasyprint" in sys.modules}))
"""


def test_a_web_worker_does_not_import_weasyprint_and_the_pdf_renderer_does():
    found = json.loads(subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, check=True,
                                      capture_output=True, text=True).stdout.splitlines()[-1])
    assert found == {"served": 200, "web": False, "worker": True}
