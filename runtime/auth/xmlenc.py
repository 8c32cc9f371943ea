"""XML Encryption 1.1 (W3C), the part an identity provider uses for an assertion: an
`EncryptedData` element whose content key is wrapped for us in an `EncryptedKey` with
RSA-OAEP, and whose content is AES-GCM or (unless refused) AES-CBC. Decrypted with
`cryptography`; nothing else of the standard is accepted (no key agreement, no key names,
no RSA v1.5, whose padding oracle makes it unsafe here). Every failure is one refusal
(`decrypt_element`; docs/signin.md says why).

`encrypt_element` is the inverse, for the stand-in provider and the tests.
"""
from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from lxml import etree

XENC = "http://www.w3.org/2001/04/xmlenc#"
XENC11 = "http://www.w3.org/2009/xmlenc11#"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"xenc": XENC, "ds": DS}
CBC = {f"{XENC}aes128-cbc": 16, f"{XENC}aes256-cbc": 32}
GCM = {f"{XENC11}aes128-gcm": 16, f"{XENC11}aes256-gcm": 32}
OAEP = {f"{XENC}rsa-oaep-mgf1p", f"{XENC11}rsa-oaep"}
DIGESTS = {f"{DS}sha1": hashes.SHA1, f"{XENC}sha256": hashes.SHA256, f"{XENC}sha512": hashes.SHA512}
MGFS = {f"{XENC11}mgf1sha1": hashes.SHA1, f"{XENC11}mgf1sha256": hashes.SHA256, f"{XENC11}mgf1sha512": hashes.SHA512}


class DecryptionFailed(ValueError):
    """The element is not encrypted in a way we accept, or not for our key. Always the
    one message `REFUSAL`: which step failed is never told (see `decrypt_element`)."""


REFUSAL = "the encrypted assertion cannot be decrypted for this site"


class _Malformed(Exception):
    """A part of the structure is missing or is not what we accept (internal)."""


def _one(element: etree._Element, path: str) -> etree._Element:
    found = element.xpath(path, namespaces=NS)
    if len(found) != 1:
        raise _Malformed(path)
    return found[0]


def _base64(element: etree._Element, path: str) -> bytes:
    try:
        return base64.b64decode("".join(_one(element, path).itertext()), validate=False)
    except ValueError:
        raise _Malformed(path) from None


def _oaep(method: etree._Element) -> padding.OAEP:
    algorithm = method.get("Algorithm")
    if algorithm not in OAEP:
        raise _Malformed("key transport")      # only RSA-OAEP: RSA v1.5 is a padding oracle itself
    digest_uri = (method.xpath("ds:DigestMethod/@Algorithm", namespaces=NS) or [f"{DS}sha1"])[0]
    mgf_uri = (method.xpath("*[local-name()='MGF']/@Algorithm") or [f"{XENC11}mgf1sha1"])[0]
    if digest_uri not in DIGESTS or mgf_uri not in MGFS or (algorithm == f"{XENC}rsa-oaep-mgf1p" and mgf_uri != f"{XENC11}mgf1sha1"):
        raise _Malformed("OAEP parameters")
    return padding.OAEP(mgf=padding.MGF1(MGFS[mgf_uri]()), algorithm=DIGESTS[digest_uri](), label=None)


def _content_key(encrypted: etree._Element, key: rsa.RSAPrivateKey, size: int) -> tuple[bytes, bool]:
    """The unwrapped content key and whether it is genuine. A key that cannot be
    unwrapped, or has the wrong size, is replaced by a random one and decryption goes on
    with it: there is no early way out to time (as RFC 5246 7.4.7.1 does for TLS)."""
    wrapped = _one(encrypted, "ds:KeyInfo/xenc:EncryptedKey")
    cipher, oaep = _base64(wrapped, "xenc:CipherData/xenc:CipherValue"), _oaep(_one(wrapped, "xenc:EncryptionMethod"))
    try:
        content_key = key.decrypt(cipher, oaep)
    except ValueError:
        content_key = b""
    genuine = len(content_key) == size
    return (content_key if genuine else os.urandom(size)), genuine


def _cbc_plaintext(content_key: bytes, data: bytes) -> tuple[bytes, bool]:
    """AES-CBC with XML Encryption's padding (ISO 10126: only the last octet, the padding
    length, is defined). Bad padding is not a separate outcome: the same length is cut
    off either way and the caller treats it as one more reason for the one refusal."""
    decryptor = Cipher(algorithms.AES(content_key), modes.CBC(data[:16])).decryptor()
    padded = decryptor.update(data[16:]) + decryptor.finalize()
    length = padded[-1]
    good = 1 <= length <= 16
    return padded[:len(padded) - (length if good else 16)], good


def _plaintext(algorithm: str, content_key: bytes, data: bytes) -> tuple[bytes, bool]:
    if algorithm in GCM:
        try:
            return AESGCM(content_key).decrypt(data[:12], data[12:], None), True
        except Exception:   # noqa: BLE001 - InvalidTag, or data too short: tampered or not for this key
            return b"", False
    if len(data) < 32 or len(data) % 16:
        return b"", False
    return _cbc_plaintext(content_key, data)


def decrypt_element(encrypted: etree._Element, key: rsa.RSAPrivateKey, parser: etree.XMLParser, *,
                    accept_cbc: bool = True) -> etree._Element:
    """The element `EncryptedData` stands for, parsed with `parser`.

    Every failure (a structure we do not accept, a key that does not unwrap, a wrong key,
    bad padding, a bad GCM tag, a plaintext that is not XML) is the one `DecryptionFailed`
    with the one message, raised at the end after the same steps: a key that does not
    unwrap is replaced by a random one, and the plaintext is parsed whether or not its
    padding was good, so that neither the answer nor an early return tells an attacker
    which step failed (the padding-oracle attacks on XML Encryption's CBC mode).
    `accept_cbc=False` refuses AES-CBC altogether (AES-GCM only)."""
    accepted = {**GCM, **(CBC if accept_cbc else {})}
    try:
        if encrypted.get("Type", f"{XENC}Element") != f"{XENC}Element":
            raise _Malformed("Type")
        algorithm = _one(encrypted, "xenc:EncryptionMethod").get("Algorithm", "")
        if algorithm not in accepted:
            raise _Malformed("content encryption")
        content_key, genuine = _content_key(encrypted, key, accepted[algorithm])
        plain, intact = _plaintext(algorithm, content_key, _base64(encrypted, "xenc:CipherData/xenc:CipherValue"))
    except _Malformed:
        raise DecryptionFailed(REFUSAL) from None
    try:
        element = etree.fromstring(plain, parser) if plain else None
    except etree.XMLSyntaxError:
        element = None
    if element is None or not (genuine and intact):
        raise DecryptionFailed(REFUSAL)
    return element


def encrypt_element(element: etree._Element, public_key: rsa.RSAPublicKey) -> etree._Element:
    """`element` as `EncryptedData` (AES-256-GCM, key wrapped with RSA-OAEP-MGF1P)."""
    content_key, iv = AESGCM.generate_key(256), os.urandom(12)
    data = iv + AESGCM(content_key).encrypt(iv, etree.tostring(element), None)
    wrapped = public_key.encrypt(content_key, padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(),
                                                           label=None))
    encrypted = etree.Element(f"{{{XENC}}}EncryptedData", nsmap={"xenc": XENC, "ds": DS}, Type=f"{XENC}Element")
    etree.SubElement(encrypted, f"{{{XENC}}}EncryptionMethod", Algorithm=f"{XENC11}aes256-gcm")
    key_info = etree.SubElement(encrypted, f"{{{DS}}}KeyInfo")
    encrypted_key = etree.SubElement(key_info, f"{{{XENC}}}EncryptedKey")
    etree.SubElement(encrypted_key, f"{{{XENC}}}EncryptionMethod", Algorithm=f"{XENC}rsa-oaep-mgf1p")
    cipher = etree.SubElement(etree.SubElement(encrypted_key, f"{{{XENC}}}CipherData"), f"{{{XENC}}}CipherValue")
    cipher.text = base64.b64encode(wrapped).decode()
    content = etree.SubElement(etree.SubElement(encrypted, f"{{{XENC}}}CipherData"), f"{{{XENC}}}CipherValue")
    content.text = base64.b64encode(data).decode()
    return encrypted
