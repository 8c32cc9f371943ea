"""XML Encryption of assertions (runtime/auth/xmlenc.py, issue 12's AES-CBC doubt): AES-GCM
and AES-CBC (XML Encryption's ISO 10126 padding, as .NET writes it) decrypt; every failure
(bad structure, a key transport we refuse, a wrong key, bad padding, a bad tag, a plaintext
that is not XML) is one `DecryptionFailed` with one message; a key that does not unwrap
and a bad padding do not cut the work short; `accept_cbc=False` refuses CBC."""
from __future__ import annotations

import base64
import copy
import os

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from lxml import etree

from runtime.auth import xmlenc
from runtime.auth.saml import hardened_parser
from runtime.auth.xmlenc import REFUSAL, XENC, XENC11, DecryptionFailed, decrypt_element, encrypt_element

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ELEMENT = etree.fromstring(b'<a:Assertion xmlns:a="urn:x" AssertionID="_1"><a:Name>PK:16117519997</a:Name></a:Assertion>')
NS = {"xenc": XENC, "ds": "http://www.w3.org/2000/09/xmldsig#"}


def decrypted(encrypted, **options):
    return decrypt_element(encrypted, KEY, hardened_parser(), **options)


def cbc_encrypted(plaintext: bytes, *, pad=None):
    """`plaintext` as aes256-cbc EncryptedData with ISO 10126 padding (random octets, the
    last one the padding length), or with the padding `pad(length)` makes."""
    content_key = os.urandom(32)
    length = 16 - len(plaintext) % 16
    padding_octets = pad(length) if pad is not None else os.urandom(length - 1) + bytes([length])
    iv = os.urandom(16)
    encryptor = Cipher(algorithms.AES(content_key), modes.CBC(iv)).encryptor()
    data = iv + encryptor.update(plaintext + padding_octets) + encryptor.finalize()
    encrypted = encrypt_element(ELEMENT, KEY.public_key())
    encrypted.find(f"{{{XENC}}}EncryptionMethod").set("Algorithm", f"{XENC}aes256-cbc")
    wrapped = KEY.public_key().encrypt(content_key, padding.OAEP(mgf=padding.MGF1(hashes.SHA1()),
                                                                 algorithm=hashes.SHA1(), label=None))
    encrypted.xpath("ds:KeyInfo/xenc:EncryptedKey/xenc:CipherData/xenc:CipherValue", namespaces=NS)[0].text = \
        base64.b64encode(wrapped).decode()
    encrypted.xpath("xenc:CipherData/xenc:CipherValue", namespaces=NS)[0].text = base64.b64encode(data).decode()
    return encrypted


def content_of(encrypted) -> bytes:
    return base64.b64decode(encrypted.xpath("xenc:CipherData/xenc:CipherValue", namespaces=NS)[0].text)


def with_content(encrypted, data: bytes):
    changed = copy.deepcopy(encrypted)
    changed.xpath("xenc:CipherData/xenc:CipherValue", namespaces=NS)[0].text = base64.b64encode(data).decode()
    return changed


def test_gcm_and_cbc_assertions_decrypt():
    assert decrypted(encrypt_element(ELEMENT, KEY.public_key())).get("AssertionID") == "_1"
    assert decrypted(cbc_encrypted(etree.tostring(ELEMENT))).get("AssertionID") == "_1"


def test_cbc_can_be_refused():
    with pytest.raises(DecryptionFailed):
        decrypted(cbc_encrypted(etree.tostring(ELEMENT)), accept_cbc=False)
    assert decrypted(encrypt_element(ELEMENT, KEY.public_key()), accept_cbc=False) is not None


def _tampered_gcm():
    good = encrypt_element(ELEMENT, KEY.public_key())
    data = bytearray(content_of(good))
    data[-1] ^= 1
    return with_content(good, bytes(data))


def _algorithm(uri: str):
    changed = encrypt_element(ELEMENT, KEY.public_key())
    changed.find(f"{{{XENC}}}EncryptionMethod").set("Algorithm", uri)
    return changed


def _rsa15():
    changed = encrypt_element(ELEMENT, KEY.public_key())
    changed.xpath("ds:KeyInfo/xenc:EncryptedKey/xenc:EncryptionMethod", namespaces=NS)[0].set(
        "Algorithm", f"{XENC}rsa-1_5")
    return changed


def _without_cipher_value():
    changed = encrypt_element(ELEMENT, KEY.public_key())
    node = changed.xpath("xenc:CipherData/xenc:CipherValue", namespaces=NS)[0]
    node.getparent().remove(node)
    return changed


def _content_type():
    changed = encrypt_element(ELEMENT, KEY.public_key())
    changed.set("Type", f"{XENC}Content")
    return changed


FAILURES = {
    "wrong key": lambda: encrypt_element(ELEMENT, OTHER_KEY.public_key()),
    "tampered GCM": _tampered_gcm,
    "bad padding (0)": lambda: cbc_encrypted(etree.tostring(ELEMENT), pad=bytes),
    "bad padding (17)": lambda: cbc_encrypted(etree.tostring(ELEMENT), pad=lambda n: bytes([17]) * n),
    "CBC not XML": lambda: cbc_encrypted(b"not xml at all!"),
    "CBC too short": lambda: with_content(cbc_encrypted(b"<a/>"), os.urandom(16)),
    "unknown content algorithm": lambda: _algorithm(f"{XENC11}aes192-gcm"),
    "RSA v1.5 key transport": _rsa15,
    "no CipherValue": _without_cipher_value,
    "not an element": _content_type,
}


@pytest.mark.parametrize("make", FAILURES.values(), ids=FAILURES.keys())
def test_every_failure_is_the_same_refusal(make):
    with pytest.raises(DecryptionFailed) as refused:
        decrypted(make())
    assert str(refused.value) == REFUSAL


def test_a_key_that_does_not_unwrap_still_decrypts_the_content(monkeypatch):
    """No early return: the content is decrypted (with a random key) and parsed as if the
    key had been good, then refused."""
    seen = []
    real = xmlenc._plaintext
    monkeypatch.setattr(xmlenc, "_plaintext", lambda *args: seen.append(args[0]) or real(*args))
    with pytest.raises(DecryptionFailed):
        decrypted(encrypt_element(ELEMENT, OTHER_KEY.public_key()))
    assert seen == [f"{XENC11}aes256-gcm"]


def test_bad_padding_is_parsed_like_good_padding(monkeypatch):
    """The plaintext of a bad padding is cut by the same length and parsed all the same,
    so that parsing time does not tell bad padding from a bad assertion."""
    parsed = []
    real = etree.fromstring
    monkeypatch.setattr(xmlenc.etree, "fromstring", lambda text, parser=None: parsed.append(text) or real(text, parser))
    with pytest.raises(DecryptionFailed):
        decrypted(cbc_encrypted(etree.tostring(ELEMENT), pad=bytes))
    assert len(parsed) == 1 and parsed[0].startswith(b"<a:Assertion")
