"""Personal data (ID numbers, phones): validation, normalization, encryption at rest and masking.

Values are stored twice: encrypted with Fernet (so they can be shown to someone allowed to see
them) and as a keyed HMAC "blind index" (so exact search and uniqueness work without decrypting).
"""

import base64
import datetime
import hashlib
import hmac
import logging
import re
from functools import lru_cache
from typing import Any

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

logger = logging.getLogger(__name__)

UNDECRYPTABLE_TEXT = "[无法解密]"


def _derived_key(purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derived_key("field-encryption")))])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


class Undecryptable(str):
    """What a stored value reads as when none of the configured keys opens it (a key missing from
    FIELD_ENCRYPTION_KEYS). Pages show the placeholder; writing it back is refused (see EncryptedCharField),
    so an ordinary edit can never replace the real value with the placeholder."""

    def __new__(cls) -> "Undecryptable":
        return super().__new__(cls, UNDECRYPTABLE_TEXT)


class UndecryptableError(ValueError):
    """Raised instead of writing a value that could not be decrypted back over its ciphertext."""


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # Loud, but not a crashed page: the data is still there, under a key this process does not have.
        logger.error(
            "Personal data could not be decrypted with any key in FIELD_ENCRYPTION_KEYS: a key is missing. "
            "Restore it (see the README's key rotation); until then these values cannot be shown or saved."
        )
        return Undecryptable()


def blind_index(value: str) -> str:
    """A keyed hash of the normalized value, for exact lookups and uniqueness."""
    key = settings.BLIND_INDEX_KEY.encode() if settings.BLIND_INDEX_KEY else _derived_key("blind-index")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """A text column holding Fernet ciphertext; Python code sees the plaintext."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        if isinstance(value, Undecryptable):
            raise UndecryptableError(
                f"{self.model.__name__}.{self.name} holds a value that could not be decrypted; refusing to overwrite "
                "its ciphertext. Restore the missing key in FIELD_ENCRYPTION_KEYS."
            )
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        if isinstance(value, Undecryptable):
            raise ValidationError(
                _(
                    "The stored %(field)s cannot be read: its encryption key is missing. Nothing can be saved over it "
                    "until the administrator restores the key; leave this record and tell the administrator."
                )
                % {"field": self.verbose_name},
                code="undecryptable",
            )
        super().validate(value, model_instance)

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> Any:
        # Ciphertext differs on every write, so comparing it finds nothing: say so instead of
        # silently matching no rows. Exact search goes through the *_hash blind-index column.
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted: filter on its blind index (*_hash) instead of '{lookup_name}'."
            )
        return super().get_lookup(lookup_name)


# ---------------------------------------------------------------- citizen ID numbers (GB 11643)

_ID_SEPARATORS = re.compile(r"[\s\-\u3000]+")


def normalize_id_number(value: str) -> str:
    """Strip spaces and separators, upper-case a trailing x."""
    return _ID_SEPARATORS.sub("", value or "").upper()


def validate_id_number(value: str) -> str:
    """Return the normalized ID number or raise a ValidationError saying what is wrong, in Chinese."""
    number = normalize_id_number(value)
    if not number:
        raise ValidationError(_("Enter the 18-character citizen ID number."), code="required")
    if len(number) != 18:
        raise ValidationError(
            _("A citizen ID number has 18 characters; this one has %(count)d. Check for missing or extra digits.")
            % {"count": len(number)},
            code="length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("A citizen ID number is 17 digits followed by a digit or X. Remove any other characters."),
            code="format",
        )
    try:
        ric.get_birth_date(number)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("The birth date inside this ID number (%(date)s) does not exist. Check digits 7 to 14.")
            % {"date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}"},
            code="birth_date",
        ) from None
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(
            _("The check digit (last character) of this ID number is wrong. Re-check every digit against the ID card."),
            code="checksum",
        )
    if id_birth_date(number) > timezone.localdate():
        raise ValidationError(_("The birth date inside this ID number is in the future."), code="birth_date")
    return number


def id_birth_date(number: str) -> datetime.date:
    return ric.get_birth_date(number)


def id_gender(number: str) -> str:
    """'M' or 'F', from the sequence digit (17th character): odd is male."""
    return "M" if int(number[16]) % 2 else "F"


def mask_id_number(number: str) -> str:
    if not number:
        return ""
    if isinstance(number, Undecryptable):
        return number
    if len(number) < 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


# ---------------------------------------------------------------- phones


CN_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalize_phone(value: str) -> str:
    """Return the phone as digits in national form (mobile 11 digits, landline with area code)."""
    raw = (value or "").strip()
    if not raw:
        return ""
    # An 11-digit 1[3-9] number is a mobile, with or without +86: decided before the phone library, which takes
    # 1795x and 1798x for carrier-selection prefixes and strips them (17955005569 would lose its first five digits).
    digits = re.sub(r"[\s\-\u3000()（）]", "", raw)
    digits = re.sub(r"^(\+86|0086)", "", digits)
    if CN_MOBILE.fullmatch(digits):
        return digits
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(value)s” is not a phone number. Enter an 11-digit mobile number or a landline with its area code.")
            % {"value": raw},
            code="invalid",
        ) from None
    national = phonenumbers.national_significant_number(parsed)
    if parsed.country_code == 86 and CN_MOBILE.fullmatch(national):
        # Any 11-digit 13x–19x number is a mobile: carriers open new prefixes faster than the phone library's
        # allocation table is updated, and a county ledger must not lose a member's real number to that lag.
        return national
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid phone number. Enter an 11-digit mobile number or a landline with its area code."
            )
            % {"value": raw},
            code="invalid",
        )
    if parsed.country_code != 86:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.number_type(parsed) in (phonenumbers.PhoneNumberType.MOBILE,):
        return national
    return "0" + national


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if isinstance(phone, Undecryptable):
        return phone
    if len(phone) <= 7:
        return phone[:1] + "*" * (len(phone) - 1)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


# ---------------------------------------------------------------- searching by a full ID number or phone

# "id:431127********1234:<HMAC>": what a search for a full ID number (or "phone:…" for a phone) becomes before it goes
# into a URL, so that the number is never in an address, an access log, an export's stored query or its title. The
# masked part is only for showing what was searched; the HMAC (the blind index the database matches) finds the member.
TOKEN = re.compile(r"^(id|phone):([0-9X*]{1,20}):([0-9a-f]{64})$")
_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_DIGITS = re.compile(r"^[\d\s()+-]+$")
# The blind-index column of each kind of number, on the models that store one.
HASH_FIELDS = {"id": "id_number_hash", "phone": "phone_hash"}


def search_token(text: str) -> str:
    """The text as it may go into a URL: a full ID number or phone as a token, anything else unchanged."""
    text = (text or "").strip()
    if TOKEN.match(text):
        return text
    number = normalize_id_number(text)
    if _ID_NUMBER.match(number):
        return f"id:{mask_id_number(number)}:{blind_index(number)}"
    if _DIGITS.match(text) and sum(c.isdigit() for c in text) >= 7:
        try:
            phone = normalize_phone(text)
        except ValidationError:
            return text
        if phone:
            return f"phone:{mask_phone(phone)}:{blind_index(phone)}"
    return text


def search_hash(text: str) -> tuple[str, str] | None:
    """(member field, hash) of a search token; None for plain text."""
    match = TOKEN.match((text or "").strip())
    return (HASH_FIELDS[match[1]], match[3]) if match else None


def describe_search(text: str) -> str:
    """What was searched, as a title row or the export history may show it: a full number masked."""
    match = TOKEN.match(search_token(text))
    if match is None:
        return text
    label = gettext("ID number") if match[1] == "id" else gettext("phone")
    return f"{label} {match[2]}"
