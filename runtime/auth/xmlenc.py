"""XML Encryption 1.1 (W3C), the part an identity provider uses for an assertion: an
`EncryptedData` element whose content key is wrapped for us in an `EncryptedKey` with
RSA-OAEP, and whose content is AES-CBC or AES-GCM. Decrypted with `cryptography`;
nothing else of the standard is accepted (no key agreement, no key names, no RSA v1.5,
whose padding oracle makes it unsafe here).

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
    """The element is not encrypted in a way we accept, or not for our key."""


def _one(element: etree._Element, path: str) -> etree._Element:
    found = element.xpath(path, namespaces=NS)
    if len(found) != 1:
        raise DecryptionFailed(f"expected one {path}, found {len(found)}")
    return found[0]


def _base64(element: etree._Element, path: str) -> bytes:
    try:
        return base64.b64decode("".join(_one(element, path).itertext()), validate=False)
    except ValueError:
        raise DecryptionFailed(f"{path} is not base64") from None


def _oaep(method: etree._Element) -> padding.OAEP:
    algorithm = method.get("Algorithm")
    if algorithm not in OAEP:
        raise DecryptionFailed(f"key transport {algorithm!r} is not accepted (only RSA-OAEP)")
    digest_uri = (method.xpath("ds:DigestMethod/@Algorithm", namespaces=NS) or [f"{DS}sha1"])[0]
    mgf_uri = (method.xpath("*[local-name()='MGF']/@Algorithm") or [f"{XENC11}mgf1sha1"])[0]
    if digest_uri not in DIGESTS or mgf_uri not in MGFS or (algorithm == f"{XENC}rsa-oaep-mgf1p" and mgf_uri != f"{XENC11}mgf1sha1"):
        raise DecryptionFailed("the OAEP digest or mask function is not accepted")
    return padding.OAEP(mgf=padding.MGF1(MGFS[mgf_uri]()), algorithm=DIGESTS[digest_uri](), label=None)


def _content_key(encrypted: etree._Element, key: rsa.RSAPrivateKey) -> bytes:
    wrapped = _one(encrypted, "ds:KeyInfo/xenc:EncryptedKey")
    try:
        return key.decrypt(_base64(wrapped, "xenc:CipherData/xenc:CipherValue"),
                           _oaep(_one(wrapped, "xenc:EncryptionMethod")))
    except ValueError as error:
        raise DecryptionFailed(f"the content key cannot be unwrapped: {error}") from None


def _plaintext(algorithm: str, content_key: bytes, data: bytes) -> bytes:
    if algorithm in GCM and len(content_key) == GCM[algorithm]:
        try:
            return AESGCM(content_key).decrypt(data[:12], data[12:], None)
        except Exception:   # InvalidTag: tampered or not for this key
            raise DecryptionFailed("the content fails its authentication tag") from None
    if algorithm in CBC and len(content_key) == CBC[algorithm] and len(data) >= 32 and len(data) % 16 == 0:
        decryptor = Cipher(algorithms.AES(content_key), modes.CBC(data[:16])).decryptor()
        padded = decryptor.update(data[16:]) + decryptor.finalize()
        if not 1 <= padded[-1] <= 16:
            raise DecryptionFailed("the content has bad padding")
        return padded[:-padded[-1]]
    raise DecryptionFailed(f"content encryption {algorithm!r} is not accepted or the key has the wrong size")


def decrypt_element(encrypted: etree._Element, key: rsa.RSAPrivateKey,
                    parser: etree.XMLParser) -> etree._Element:
    """The element `EncryptedData` stands for, parsed with `parser`."""
    if encrypted.get("Type", f"{XENC}Element") != f"{XENC}Element":
        raise DecryptionFailed("only encrypted elements are accepted")
    algorithm = _one(encrypted, "xenc:EncryptionMethod").get("Algorithm", "")
    plain = _plaintext(algorithm, _content_key(encrypted, key), _base64(encrypted, "xenc:CipherData/xenc:CipherValue"))
    try:
        return etree.fromstring(plain, parser)
    except etree.XMLSyntaxError:
        raise DecryptionFailed("the decrypted content is not XML") from None


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
