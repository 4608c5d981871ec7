"""Hostile strings, named: what an attacker, a broken client or a careless paste sends.

tests/test_hostile_input.py sends each of them to every query parameter and
form field of every page. A string here is text a form may legitimately keep
(a SQL fragment is a fine job title); what matters is that the service never
fails on it, never shows it unescaped and never saves half of a refused page.
"""

import runpy
from pathlib import Path

# Markup and script: shown anywhere unescaped, these run in the reader's browser.
SCRIPT_TAG = "<script>alert(1)</script>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>'
SINGLE_QUOTE_BREAKOUT = "'><svg onload=alert(1)>"
JAVASCRIPT_URL = "javascript:alert(1)"
ENCODED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"

# SQL fragments: harmless as text, fatal if ever pasted into a query.
SQL_TAUTOLOGY = "' OR 1=1 --"
SQL_DROP_TABLE = "'; DROP TABLE participants_user; --"
SQL_UNION = "1 UNION SELECT email, password FROM participants_user"

# Template syntax: Django's, and that of engines a value might one day reach.
TEMPLATE_VARIABLE = "{{ settings.SECRET_KEY }}"
TEMPLATE_TAG = "{% debug %}"
TEMPLATE_EXPRESSION = "${7*7}"
FORMAT_STRING = "%s%n%x{0}{}"

# Unicode edge cases.
RIGHT_TO_LEFT_OVERRIDE = "\u202egnp.exe"  # shows as "exe.png"
ZERO_WIDTH = "a\u200db\u200cc\u200bd\ufeff"
COMBINING = "Z\u0351\u0334a\u0301\u0302\u0303l\u0336g\u0337o\u0338"
EMOJI = "\U0001f469\u200d\U0001f469\u200d\U0001f467 \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
UNICODE_DIGITS = "\u00b2\u00b3"  # str.isdigit() says yes; int() says no
CONTROL_CHARACTERS = "bell\x07 escape\x1b[31m backspace\x08"
HEADER_INJECTION = "x\r\nSet-Cookie: hostile=1"

# A NUL byte: PostgreSQL cannot store it, and refuses any query that holds it.
NUL = "before\x00after"

# Invalid UTF-8, which no str can hold: sent as raw bytes in a urlencoded body.
INVALID_UTF8_PERCENT_ENCODED = b"%FF%FE"
INVALID_UTF8_RAW = b"\xff"

# Size.
LONG_VALUE = "<b>" + "x" * (100 * 1024 - 7) + "</b>"  # 100 KB, with markup at both ends
LONG_EMAIL = "a" * 300 + "@example.org"
HUGE_NUMBER = "9" * 30
NEGATIVE_NUMBER = "-1"

# Spreadsheet formulas (CSV injection): run when an export is opened in a spreadsheet.
CSV_HYPERLINK = '=HYPERLINK("http://evil.example/","click")'
CSV_PLUS = "+cmd"
CSV_MINUS = "-2+3"
CSV_AT = "@SUM(1)"
CSV_DDE = "=cmd|' /C calc'!A0"

# Whitespace only: must count as empty where an answer is required.
WHITESPACE_ONLY = " \t \n "

# Paths and addresses that should never be followed.
PATH_TRAVERSAL = "../../etc/passwd"
OPEN_REDIRECT = "//evil.example/"
ABSOLUTE_URL = "https://evil.example/"

CORPUS = {
    name: value
    for name, value in sorted(globals().items())
    if name.isupper() and isinstance(value, str)
}
"""Every text string above, by name (the raw byte strings are sent separately)."""

# In a URL, the longest value that can reach a view. gunicorn answers a request
# line longer than its limit_request_line (stepchange/deploy/gunicorn.conf.py)
# itself, before Django (tests/production/test_stack.py), so a query string or
# URL argument never holds LONG_VALUE's 100 KB; the tests of query strings and
# URL arguments send this in its place: a whole request line, markup at both ends.
# (Encoding 100 KB a request, in Python, was a fifth of the suite's time.)
REQUEST_LINE_LIMIT = runpy.run_path(
    str(Path(__file__).resolve().parents[1] / "stepchange/deploy/gunicorn.conf.py")
)["limit_request_line"]
LONG_VALUE_IN_URL = "<b>" + "x" * (REQUEST_LINE_LIMIT - 7) + "</b>"
URL_CORPUS = {**CORPUS, "LONG_VALUE": LONG_VALUE_IN_URL}


def in_url(value):
    """`value` as a URL can carry it to a view: LONG_VALUE shortened to a request line."""
    return LONG_VALUE_IN_URL if value == LONG_VALUE else value


# The strings that would be harmful if a page showed them unescaped.
MARKUP = {name: value for name, value in CORPUS.items() if "<" in value or '"' in value}

# Text a free-text answer may well hold, and which a page must therefore accept
# and keep exactly: markup, SQL, template syntax and formulas are someone's
# words until a page shows them unescaped or a spreadsheet runs them.
LEGITIMATE_TEXT = {
    name: CORPUS[name]
    for name in CORPUS
    if name
    not in {
        "NUL",  # PostgreSQL cannot keep it: Django's text fields refuse it
        "LONG_VALUE",  # longer than any field allows
        "LONG_EMAIL",  # longer than most
        "WHITESPACE_ONLY",  # no answer at all
        "CONTROL_CHARACTERS",  # kept or refused: the service's choice
        "HEADER_INJECTION",
        "RIGHT_TO_LEFT_OVERRIDE",
    }
}

# The strings that matter where a page only shows a value, or follows it.
SHOWN = {
    **MARKUP,
    **{
        name: CORPUS[name]
        for name in [
            "JAVASCRIPT_URL",
            "OPEN_REDIRECT",
            "ABSOLUTE_URL",
            "HEADER_INJECTION",
            "NUL",
            "TEMPLATE_VARIABLE",
            "TEMPLATE_TAG",
        ]
    },
}
URL_SHOWN = {name: in_url(value) for name, value in SHOWN.items()}
# Shown unescaped, the URL's long value is as harmful as the form's.
MARKUP["LONG_VALUE_IN_URL"] = LONG_VALUE_IN_URL
