"""One parser for every query parameter a view reads: a bad value answers 400 with a message naming it.

Views call these helpers instead of reading ``request.GET`` themselves (``tests/test_fuzz.py`` checks the source
and sends malformed values to every parameter of every URL). A value that cannot be what the view needs raises
``BadQueryParameter``, which ``cqosite.middleware.QueryParameterMiddleware`` turns into a 400 in the visitor's
language: no ``int("abc")`` or ``int("1e309")`` reaches the database as a server error.
"""

import re

from django.apps import apps
from django.utils.translation import gettext as _

from .pagination import public_page_number

#: Largest key a PostgreSQL ``bigint`` (every id in the project) holds.
MAX_ID = 2**63 - 1
#: Longest free text a filter or search box takes.
MAX_TEXT = 200
#: Longest value any parameter may have, whichever view reads it (SQLite refuses LIKE patterns over 50,000).
MAX_VALUE = 2_000
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")
_FALSE = ("", "0", "false", "no", "off")
#: Parameters Wagtail's own admin views pass to ``int()`` unchecked: a page number and the pages a chooser targets.
WAGTAIL_NUMBERS = ("p", "target_pages[]")


class BadQueryParameter(Exception):
    def __init__(self, name, message):
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")


def check_query(source):
    """Refuse, before any view (or Wagtail's) reads it, a value longer than ``MAX_VALUE``, a number beyond any
    column's range, or an ``id``/``pk``/``…_id`` that is not a whole number: SQLite and PostgreSQL raise on those
    where the views' forms expect ``ValueError``."""
    for name, values in _params(source).lists():
        for value in values:
            if len(value) > MAX_VALUE:
                raise BadQueryParameter(
                    name[:40],
                    _("Use at most %(max)d characters (%(length)d given).") % {"max": MAX_VALUE, "length": len(value)},
                )
            digits = value.strip().lstrip("+-")
            if digits.isascii() and digits.isdigit() and int(digits) > MAX_ID:
                query_int(source, name)  # raises with the range
            # Wagtail's bulk actions send ``id=all`` for "every record matching the listing's filters".
            if (name in ("id", "pk") or name.endswith("_id")) and not (name == "id" and value == "all"):
                query_id(source, name)
            elif name in WAGTAIL_NUMBERS:
                query_numbers(source, name)
            elif name == "create_model":
                query_model(source, name)


def _params(source):
    """The query dict of a request (Django or REST framework) or the query dict itself."""
    return getattr(source, "GET", source)


def raw(source, name, default=""):
    """The parameter as sent (the last one when repeated), stripped of surrounding spaces."""
    value = _params(source).get(name)
    return default if value is None else value.strip()


def query_ids(source, name, words=()):
    """Every value of a repeated parameter (``?id=1&id=2``) that is a whole number, or one of ``words``."""
    values = [value.strip() for value in _params(source).getlist(name)]
    return [value for value in values if value in words or (_INTEGER.fullmatch(value) and int(value) <= MAX_ID)]


def query_numbers(source, name):
    """Every value of a (possibly repeated) parameter: positive whole numbers, empty values left out."""
    return [_whole_number(name, value.strip(), 1, MAX_ID) for value in _params(source).getlist(name) if value.strip()]


def query_model(source, name):
    """A model named ``app_label.ModelName`` that is installed, or ``None`` when empty or absent."""
    value = raw(source, name)
    if value == "":
        return None
    try:
        return apps.get_model(value)
    except (LookupError, ValueError):
        raise BadQueryParameter(name, _("There is no record type “%(value)s”.") % {"value": value[:40]}) from None


def query_text(source, name, default="", max_length=MAX_TEXT):
    """Free text (a search, a name): at most ``max_length`` characters."""
    value = raw(source, name, default)
    if len(value) > max_length:
        raise BadQueryParameter(
            name, _("Use at most %(max)d characters (%(length)d given).") % {"max": max_length, "length": len(value)}
        )
    return value


def query_int(source, name, default=None, minimum=None, maximum=None):
    """A whole number in ``[minimum, maximum]``; empty or absent gives ``default``."""
    value = raw(source, name)
    if value == "":
        return default
    return _whole_number(name, value, -MAX_ID if minimum is None else minimum, MAX_ID if maximum is None else maximum)


def _whole_number(name, value, lowest, highest):
    number = int(value) if _INTEGER.fullmatch(value) else None
    if number is None or not lowest <= number <= highest:
        raise BadQueryParameter(
            name,
            _("Expected a whole number from %(min)s to %(max)s, got “%(value)s”.")
            % {"min": lowest, "max": highest, "value": value[:20]},
        )
    return number


def query_id(source, name):
    """The id of a record (a positive whole number) or ``None`` when empty or absent."""
    return query_int(source, name, minimum=1)


def query_year(source, name, default=None):
    return query_int(source, name, default, minimum=1900, maximum=2999)


def query_choice(source, name, choices, default=None):
    """One of ``choices`` (values, or ``(value, label)`` pairs); empty or absent gives ``default``."""
    values = [choice[0] if isinstance(choice, (tuple, list)) else choice for choice in choices]
    value = raw(source, name)
    if value == "":
        return default
    if value not in [str(choice) for choice in values]:
        raise BadQueryParameter(
            name,
            _("Expected one of %(choices)s, got “%(value)s”.")
            % {"choices": ", ".join(str(choice) for choice in values), "value": value[:20]},
        )
    return next(choice for choice in values if str(choice) == value)


def query_flag(source, name):
    """Whether a switch like ``?restart=1`` is on (absent, empty, 0, false, no, off: off)."""
    return raw(source, name).lower() not in _FALSE


def query_page(source, max_pages, name="page"):
    """A visitor's page number: lenient on purpose (1 unless a positive whole number, at most ``max_pages``)."""
    return public_page_number(raw(source, name), max_pages)


def query_string(source, **changes):
    """The query as sent, with ``changes`` applied (``None`` drops a name), encoded for a link or the audit log.
    Copies values without reading them: nothing here reaches a query."""
    query = _params(source).copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()
