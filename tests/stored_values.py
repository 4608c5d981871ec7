"""Everything the database holds, as text, to look for personal data left behind.

The tables come from the database itself (connection.introspection), not
from a list of models, so a table added by a new app, model or migration is
read without anyone remembering to: Django's own (the admin log, sessions),
allauth's, simple-history's, celery-beat's and ours.
"""

import html
from urllib.parse import unquote_plus

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection


def stored_tables():
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _texts(value):
    if value is None:
        return []
    if isinstance(value, memoryview | bytes):
        value = bytes(value).decode("utf-8", errors="replace")
    text = str(value)
    # The same words stored escaped for HTML or encoded in a query string.
    return list(dict.fromkeys([text, html.unescape(text), unquote_plus(text)]))


def every_stored_value():
    """Every value of every row of every table, as one string."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column.name for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    texts.extend(_texts(value))
                    if table == Session._meta.db_table and column == "session_data":
                        # Signed and encoded: what it says, decoded.
                        texts.extend(_texts(SessionStore().decode(value)))
    return "\n".join(texts)
