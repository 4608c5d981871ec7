import re

from django.core.exceptions import ValidationError

# Spaces, hyphens, dots and brackets are how people write numbers; the digits
# are what must be right.
_PHONE_DECORATION = re.compile(r"[\s\-.()]")
_UK_PHONE = re.compile(r"^(?:\+44|0044|0)\d{9,10}$")


def normalise_uk_phone(value):
    """A UK telephone number as typed, with its decoration removed, or an error."""
    digits = _PHONE_DECORATION.sub("", value or "").replace("+44(0)", "+44")
    if digits.startswith(("+440", "00440")):
        digits = digits.replace("440", "44", 1)
    if not _UK_PHONE.match(digits):
        raise ValidationError(
            "Enter a UK telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
            code="invalid_phone",
        )
    return value.strip()


_SIA_LICENCE = re.compile(r"^\d{16}$")


def validate_sia_licence(value):
    if not _SIA_LICENCE.match(value.replace(" ", "")):
        raise ValidationError(
            "Enter your SIA licence number as it appears on your licence: 16 digits",
            code="invalid_sia_licence",
        )
