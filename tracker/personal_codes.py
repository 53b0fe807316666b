"""Latvian personal codes: checked, encrypted at rest, matched through a keyed hash, masked.

The key comes from the environment, `TRACKER_PERSONAL_CODE_KEY`: a Fernet key (32 random bytes,
URL-safe base64; `tracker key generate` prints a new one). Two keys are derived from it, one
that encrypts (Fernet: AES-128-CBC with HMAC-SHA256) and one that makes the match hash
(HMAC-SHA256 of the compact code), so the database holds neither the code nor anything that
can be checked against a guessed code without the key. Without the key no code is stored:
`KeyMissing` says how to set one.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.lv import pvn

from tracker.errors import TrackerError

KEY_VARIABLE = "TRACKER_PERSONAL_CODE_KEY"
MASK = "*****"
HIDDEN = "******-*****"  # a code that cannot be decrypted here (no key, or another key)


class KeyMissing(TrackerError):
    """No (valid) key in the environment: personal codes can be neither stored nor read."""

    code = "personal_code_key_missing"

    def __init__(self) -> None:
        super().__init__(variable=KEY_VARIABLE)


class CodeProblem(ValueError):
    """A personal code that is not valid; `code` is the catalogue's error code."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class Keys:
    encrypt: Fernet
    match: bytes


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return hmac.new(secret, purpose, hashlib.sha256).digest()


def generate_key() -> str:
    """A new random key, as the environment variable wants it."""
    return Fernet.generate_key().decode("ascii")


def keys(value: str | None = None) -> Keys:
    """The keys from `value` or the environment; KeyMissing when there is none or it is not a
    key (32 bytes in URL-safe base64)."""
    text = (os.environ.get(KEY_VARIABLE, "") if value is None else value).strip()
    try:
        secret = base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise KeyMissing() from None
    if len(secret) != 32:
        raise KeyMissing()
    encrypt = base64.urlsafe_b64encode(_derive(secret, b"tracker personal code encryption"))
    return Keys(encrypt=Fernet(encrypt), match=_derive(secret, b"tracker personal code match"))


def key_configured() -> bool:
    """Whether personal codes can be stored here (a valid key is set)."""
    try:
        keys()
    except KeyMissing:
        return False
    return True


def compact(code: str) -> str:
    return pvn.compact(code)


def validate(code: str, birth_date: dt.date | None = None) -> str:
    """The code, compact (11 digits), if it is a valid personal code of either format; an
    old-format code's birth date must be a real date and agree with `birth_date` when given.
    CodeProblem names what is wrong."""
    number = compact(code)
    if len(number) != 11 or not number.isdigit():
        raise CodeProblem("personal_code_format")
    if number[0] > "3":
        raise CodeProblem("personal_code_not_person")  # a legal entity's number
    try:
        pvn.validate(number)
    except StdnumError:
        raise CodeProblem("personal_code_invalid") from None
    born = code_birth_date(number)
    if born is not None and birth_date is not None and born != birth_date:
        raise CodeProblem("personal_code_birth_date")
    return number


def code_birth_date(number: str) -> dt.date | None:
    """The birth date an old-format code holds (None for the new format, 32…)."""
    if number.startswith("32"):
        return None
    try:
        return pvn.get_birth_date(number)
    except StdnumError:
        return None


def formatted(number: str) -> str:
    """`161175-19997`, as the code is written."""
    return f"{number[:6]}-{number[6:]}"


def mask(number: str | None) -> str:
    """`161175-*****`: the first part only (empty for no code)."""
    return f"{number[:6]}-{MASK}" if number else ""


def match_hash(number: str, key: Keys | None = None) -> str:
    """The keyed hash two records of the same person share (hex, 64 characters)."""
    key = key or keys()
    return hmac.new(key.match, compact(number).encode("ascii"), hashlib.sha256).hexdigest()


def encrypt(number: str, key: Keys | None = None) -> str:
    key = key or keys()
    return key.encrypt.encrypt(compact(number).encode("ascii")).decode("ascii")


def decrypt(secret: str | None, key: Keys | None = None) -> str | None:
    """The code of a stored secret; None when there is none or it cannot be read here."""
    if not secret:
        return None
    try:
        key = key or keys()
        return key.encrypt.decrypt(secret.encode("ascii")).decode("ascii")
    except (KeyMissing, InvalidToken, UnicodeError, ValueError):
        return None


def masked(secret: str | None, key: Keys | None = None) -> str:
    """What the screen shows of a stored code: masked, or HIDDEN when it cannot be read."""
    if not secret:
        return ""
    number = decrypt(secret, key)
    return mask(number) if number else HIDDEN
