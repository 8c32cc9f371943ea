"""The latvija.lv stand-in's identity and keys: a WS-Federation identity provider for
development and tests. Its pages are `runtime.web.standins`; what it sends is
`standins.wsfed`."""
from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import rsa

from ..latvija import LatvijaSettings
from ..saml import Expectations
from .keys import StandInKeys, make_keys

ISSUER = "urn:pkip:standin:latvija"
KINDS = ("self", "company", "institution", "person")


@dataclass(frozen=True)
class LatvijaStandIn:
    keys: StandInKeys                # signs the assertions (the site pins its certificate)
    site_key: rsa.RSAPrivateKey      # the site's decryption key: assertions are encrypted for it

    def settings(self, endpoint: str, realm: str) -> LatvijaSettings:
        return LatvijaSettings(endpoint, Expectations(ISSUER, realm, self.keys.certificate, self.site_key))


def make_standin() -> LatvijaStandIn:
    return LatvijaStandIn(make_keys("latvija.lv stand-in"), make_keys("site").key)


def name_identifier(person_digits: str, kind: str, party: str) -> str:
    """The NameIdentifier of each subject form (see runtime/auth/subjects.py)."""
    return {"self": f"PK:{person_digits}", "company": f"PK:{person_digits}-UR:{party}",
            "institution": f"AU:{party}-PK:{person_digits}", "person": f"DP:{party}-PK:{person_digits}"}[kind]
