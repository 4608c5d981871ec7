import re

from django.core.exceptions import ValidationError

# Spaces, hyphens, dots and brackets are how people write numbers; the digits
# are what must be right.
_PHONE_DECORATION = re.compile(r"[\s\-.()]")
_UK_PHONE = re.compile(r"^(?:\+44|0044|0)\d{9,10}$")
# Outside the UK, a number in international form: + and the country code, then
# the number; at most 15 digits in all (ITU-T E.164).
_INTERNATIONAL_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
PHONE_HINT = (
    "For an international number, start with + and the country code, like +33 1 23 45 67 89."
)
PHONE_ERROR = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +33 1 23 45 67 89"


def normalise_phone(value):
    """A telephone number as typed (a UK number, or an international one in +CC
    form), checked with its decoration removed, or an error."""
    digits = _PHONE_DECORATION.sub("", value or "").replace("+44(0)", "+44")
    if digits.startswith(("+440", "00440")):
        digits = digits.replace("440", "44", 1)
    is_uk = digits.startswith(("0", "+44")) and _UK_PHONE.match(digits)
    is_international = not digits.startswith("+44") and _INTERNATIONAL_PHONE.match(digits)
    if not (is_uk or is_international):
        raise ValidationError(PHONE_ERROR, code="invalid_phone")
    return value.strip()


_SIA_LICENCE = re.compile(r"^\d{16}$")


def validate_sia_licence(value):
    if not _SIA_LICENCE.match(value.replace(" ", "")):
        raise ValidationError(
            "Enter your SIA licence number as it appears on your licence: 16 digits",
            code="invalid_sia_licence",
        )
