"""The certified OpenID Connect provider (panva's `oidc-provider`, OpenID Certified) for
the tests: installed from the npm registry at the version and integrity hashes pinned in
`package-lock.json` into `.cache/certified-oidc/` (`scripts/install-certified-oidc`, which
`.ci/run` calls), and run with Node.js on 127.0.0.1 over HTTPS under a CA made for the
test run. Without Node.js or the registry the tests that need it fail when CI is set and
are skipped with the reason otherwise.

`CertifiedProvider.log_in` plays the browser at the provider without one (its login and
consent forms); the browser tests click the same forms.
"""
from __future__ import annotations

import datetime
import ipaddress
import json
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from joserfc.jwk import OKPKey, RSAKey
from lxml import html as lxml_html

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
INSTALLER = ROOT / "scripts" / "install-certified-oidc"
MODULE = ROOT / ".cache" / "certified-oidc" / "node_modules" / "oidc-provider" / "lib" / "index.js"
CLIENT_ID = "pkip-certified"
CLIENT_SECRET = "se+cr%et/with=reserved"      # defect 2: must survive HTTP Basic
ACCOUNTS = {
    "janis": {"serialNumber": "PNOLV-161175-19997", "given_name": "Jānis", "family_name": "Ozols"},
    "anna": {"serialNumber": "PNOLV-010190-12349", "given_name": "Anna", "family_name": "Bērziņa"},
}


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI is set, so the certified-provider tests must run)", pytrace=False)
    pytest.skip(reason)


def installed_module() -> Path:
    """The provider's entry module, installed first when missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        unavailable("Node.js and npm are needed for the certified OpenID Connect provider")
    if not MODULE.exists():
        done = subprocess.run([str(INSTALLER)], capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not MODULE.exists():
            unavailable(f"installing oidc-provider from the npm registry failed: {done.stderr.strip()[-400:]}")
    return MODULE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pem(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def make_test_ca(directory: Path) -> tuple[str, str, str]:
    """(CA certificate, server key, server certificate for 127.0.0.1) as PEM files."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PKIP test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .sign(ca_key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return (_pem(directory / "ca.pem", ca.public_bytes(serialization.Encoding.PEM)),
            _pem(directory / "server-key.pem", key_pem),
            _pem(directory / "server.pem", leaf.public_bytes(serialization.Encoding.PEM)))


def signing_keys(generation: int) -> list[dict]:
    """A fresh RSA key (RS256/PS256) and Ed25519 key, with kids naming the generation."""
    return [RSAKey.generate_key(2048, parameters={"kid": f"rsa-{generation}"}).as_dict(private=True),
            OKPKey.generate_key("Ed25519", parameters={"kid": f"ed-{generation}"}).as_dict(private=True)]


class CertifiedProvider:
    """One oidc-provider process; `restart()` brings it back with new signing keys."""

    def __init__(self, directory: Path, redirect_uris: list[str], post_logout_uris: list[str],
                 id_token_alg: str = "PS256"):
        self.directory = directory
        self.port = free_port()
        self.issuer = f"https://127.0.0.1:{self.port}"
        self.ca_file, self.tls_key, self.tls_cert = make_test_ca(directory)
        self.client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris,
                       "post_logout_redirect_uris": post_logout_uris, "id_token_signed_response_alg": id_token_alg,
                       "token_endpoint_auth_method": "client_secret_basic"}
        self.generation = 0
        self.process: subprocess.Popen | None = None

    def settings(self) -> dict:
        """The app settings that point its OpenID Connect client here."""
        return {"oidc_issuer": self.issuer, "oidc_client_id": CLIENT_ID, "oidc_client_secret": CLIENT_SECRET,
                "oidc_ca_file": self.ca_file}

    def start(self) -> "CertifiedProvider":
        self.generation += 1
        config = {"module": str(installed_module()), "issuer": self.issuer, "port": self.port,
                  "clients": [self.client], "keys": signing_keys(self.generation), "accounts": ACCOUNTS,
                  "cookie_key": secrets.token_urlsafe(32), "tls_key": self.tls_key, "tls_cert": self.tls_cert}
        path = self.directory / "provider.json"
        path.write_text(json.dumps(config), encoding="utf-8")
        self.process = subprocess.Popen(["node", str(HERE / "provider.mjs"), str(path)], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self._wait_until_listening()
        return self

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oidc-provider exited: {self.process.stdout.read()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oidc-provider did not start listening within 20 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def restart(self) -> None:
        """The same issuer with new signing keys (a key rotation the app has not seen)."""
        self.stop()
        self.start()

    def http(self) -> httpx.Client:
        """A cookie-keeping client trusting the test CA: the browser at the provider."""
        return httpx.Client(verify=ssl.create_default_context(cafile=self.ca_file), timeout=10)

    def jwks_outage(self, status: int) -> None:
        with self.http() as http:
            http.post(f"{self.issuer}/_test/jwks", params={"status": status}).raise_for_status()

    def log_in(self, http: httpx.Client, url: str, login: str | None, stop_at: str) -> str:
        """Follow the provider's pages from `url`, filling the login form as `login` (None:
        expect no login form) and accepting the consent, until a redirect to `stop_at`."""
        for _ in range(12):
            response = http.get(url)
            while response.is_redirect:
                url = urljoin(str(response.url), response.headers["location"])
                if url.startswith(stop_at):
                    return url
                response = http.get(url)
            response = self._submit(http, response, login)
            if response.is_redirect:
                url = urljoin(str(response.url), response.headers["location"])
                if url.startswith(stop_at):
                    return url
        raise AssertionError("the provider never sent the browser back")

    @staticmethod
    def _submit(http: httpx.Client, response: httpx.Response, login: str | None) -> httpx.Response:
        """Submit the page's form as a person would: log in, consent, or confirm sign-out."""
        page = lxml_html.fromstring(response.text)
        form = page.forms[0]
        fields = {name: value for name, value in form.form_values()}
        if "login" in form.fields:
            assert login is not None, "the provider asked for a login where none was expected"
            fields.update(login=login, password="any")
        if form.get("id") == "op.logoutForm":
            fields["logout"] = "yes"
        return http.post(urljoin(str(response.url), form.get("action")), data=fields)
