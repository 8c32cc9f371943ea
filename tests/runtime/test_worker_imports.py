"""Only the outbox worker renders PDFs, so a web worker does not import WeasyPrint: it
costs each web worker about half a second of start-up and some 24 MB (issue 11). Nor does
a web worker run argon2 while it starts (64 MB and about a second: the hash verified for
an unknown staff e-mail is a constant)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys, tempfile
import argon2
hashed = []
hash_password = argon2.PasswordHasher.hash
argon2.PasswordHasher.hash = lambda self, *args, **kwargs: hashed.append(1) or hash_password(self, *args, **kwargs)
from app import create_app
folder = tempfile.mkdtemp()
app = create_app({"instance_path": folder, "env": "testing", "auto_upgrade": True,
                  "database_url": f"sqlite:///{folder}/web.sqlite3"})
served = app.test_client().get("/").status_code
web = "weasyprint" in sys.modules
argon2_runs = len(hashed)
from runtime.documents.jobs import render_application_pdf
from runtime.documents import pdf
print(json.dumps({"served": served, "web": web, "argon2": argon2_runs, "worker": "weasyprint" in sys.modules}))
"""


def test_a_web_worker_starts_without_weasyprint_and_argon2_and_the_pdf_renderer_has_weasyprint():
    found = json.loads(subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, check=True,
                                      capture_output=True, text=True).stdout.splitlines()[-1])
    assert found == {"served": 200, "web": False, "argon2": 0, "worker": True}
