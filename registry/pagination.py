"""Admin listings that stay fast at a million rows: a capped count and keyset ("seek") pages.

``OFFSET 500000`` makes the database walk half a million rows and ``COUNT(*)`` walks them all, so a deep page
of a big registry costs hundreds of times the first. Here the count stops at ``COUNT_CAP`` (the label then
says "10,000+") and comes in the page's own statement, and the Previous/Next links carry the id of the row next
to them (``?after=`` / ``?before=``) so that every step, however deep, is one index range scan of ``per_page``
rows. Numbered links still jump by offset, which the cap keeps shallow.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property
from wagtail.admin.paginator import WagtailPaginator

#: Counting more rows than this for the page links costs more than it tells; the listing says "more than N".
COUNT_CAP = 1_000

#: The column a first page's statement brings its capped count in (CappedCountPaginator._counting).
COUNTED = "_capped_count"

#: Public lists number this many pages at most; past them the visitor narrows the search, as on a search engine.
PUBLIC_MAX_PAGES = 50

#: The orderings a cursor can follow: by id, newest first (every registry's default) or oldest first.
KEYSET_ORDERINGS = {("-id",): "-", ("id",): "", ("-pk",): "-", ("pk",): ""}


def _positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def public_page_number(value, max_pages):
    """A visitor's ``?page=`` as a listed page number: 1 unless a positive integer, at most ``max_pages``."""
    return min(_positive_int(value) or 1, max_pages)


def capped_count(queryset, cap):
    """How many rows ``queryset`` holds, counting no further than ``cap + 1``."""
    return queryset.order_by()[: cap + 1].count()


class KeysetPage(Page):
    """A page that knows its neighbours from the rows it fetched (one extra row), not from a count."""

    def __init__(self, object_list, number, paginator, *, has_next, has_previous):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next
        self._has_previous = has_previous

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self._has_previous

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return max(self.number - 1, 1)

    @property
    def next_cursor(self):
        """The id the Next link continues after (``None`` when the listing cannot seek)."""
        return self.object_list[-1].pk if self.paginator.seekable and self.object_list else None

    @property
    def previous_cursor(self):
        return self.object_list[0].pk if self.paginator.seekable and self.object_list else None


class CappedCountPaginator(WagtailPaginator):
    """Counts at most ``COUNT_CAP + 1`` rows and, when ordered by id, pages by cursor."""

    def __init__(self, object_list, per_page, *, after=None, before=None, count_every_row_read=False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.after = _positive_int(after)
        self.before = _positive_int(before)
        #: The page's statement reads every matching row before ordering them (rows gathered by id, as the workflow
        #: reports' are): a window count over those rows costs less than counting them again in a subquery.
        self.count_every_row_read = count_every_row_read

    @cached_property
    def seek_direction(self):
        """``"-"`` (descending id), ``""`` (ascending) or ``None`` when the ordering is not by id alone."""
        if not isinstance(self.object_list, QuerySet):
            return None
        ordering = tuple(self.object_list.query.order_by) or tuple(self.object_list.model._meta.ordering)
        return KEYSET_ORDERINGS.get(ordering)

    @property
    def seekable(self):
        return self.seek_direction is not None

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):  # search results count themselves
            return super().count
        return capped_count(self.object_list, COUNT_CAP)

    @cached_property
    def count_capped(self):
        return self.count > COUNT_CAP

    @cached_property
    def items_count_label(self):
        if self.count_capped:
            return f"{COUNT_CAP:,}+ {self.verbose_name_plural}"
        return super().items_count_label

    def validate_number(self, number):
        return _positive_int(number) or 1

    def get_page(self, number):
        return self.page(number)

    def page(self, number):
        number = self.validate_number(number)
        size = self.per_page
        if self.seekable and self.after:
            rows = list(self._seek(self.after, forward=True)[: size + 1])
            return KeysetPage(rows[:size], number, self, has_next=len(rows) > size, has_previous=True)
        if self.seekable and self.before:
            rows = list(self._seek(self.before, forward=False)[: size + 1])
            has_previous = len(rows) > size
            rows = rows[:size][::-1]
            return KeysetPage(rows, number, self, has_next=True, has_previous=has_previous and number > 1)
        bottom = (number - 1) * size
        rows = list(self._counting(self.object_list)[bottom : bottom + size + 1])
        if rows and hasattr(rows[0], COUNTED):
            self.count = min(getattr(rows[0], COUNTED), COUNT_CAP + 1)
        return KeysetPage(rows[:size], number, self, has_next=len(rows) > size, has_previous=number > 1)

    def _counting(self, queryset):
        """``queryset`` with its count as a column (capped, or whole from a window and capped when read), while the
        count is still to be made: one statement for the page and its count, where two cost two round trips (most of a
        first page's time on a busy database server)."""
        counted = "count" in self.__dict__
        if counted or not isinstance(queryset, QuerySet) or queryset._iterable_class is not ModelIterable:
            return queryset
        if queryset.query.combinator or queryset.query.is_sliced or queryset.query.group_by is not None:
            return queryset
        if self.count_every_row_read and not queryset.query.distinct:  # a window counts rows before DISTINCT
            return queryset.annotate(**{COUNTED: Window(Count("pk"))})
        try:
            sql, params = queryset.order_by().values("pk")[: COUNT_CAP + 1].query.sql_with_params()
        except EmptyResultSet:  # matches nothing: no statement at all
            return queryset
        return queryset.annotate(**{COUNTED: RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params)})

    def _seek(self, cursor, *, forward):
        """Rows past ``cursor`` in listing order (``forward``) or before it, nearest first."""
        descending = self.seek_direction == "-"
        if descending == forward:
            return self.object_list.filter(pk__lt=cursor).order_by("-pk")
        return self.object_list.filter(pk__gt=cursor).order_by("pk")

    def get_elided_page_range(self, page_number):
        """Numbered links only where the count reaches; beyond it the listing is walked by Previous/Next."""
        if self.validate_number(page_number) > self.num_pages:
            return []
        return super().get_elided_page_range(page_number)


class KeysetPaginationMixin:
    """For Wagtail index views: hand the ``after``/``before`` cursors of the request to the paginator."""

    paginator_class = CappedCountPaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        from .params import raw  # registry.params builds on this module

        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            after=raw(self.request, "after"),
            before=raw(self.request, "before"),
            **kwargs,
        )


class PublicPaginator(Paginator):
    """Page numbers up to ``PUBLIC_MAX_PAGES``: the count stops there and a deeper number answers the last page.

    No public page then costs more than an ``OFFSET`` of ``max_pages × per_page`` rows, however big the table,
    and no anonymous request makes the database count a million rows.
    """

    def __init__(self, object_list, per_page, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_pages = PUBLIC_MAX_PAGES

    @property
    def listed_max(self):
        return self.per_page * self.max_pages

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            return capped_count(self.object_list, self.listed_max)
        return super().count  # search results: the backend counts them

    @cached_property
    def capped(self):
        """More rows match than the pages list: the page says so and asks for a narrower search."""
        return self.count > self.listed_max

    @cached_property
    def num_pages(self):
        return min(super().num_pages, self.max_pages)

    @cached_property
    def count_label(self):
        return f"{self.listed_max:,}+" if self.capped else f"{self.count:,}"


def few_matches_page(queryset, fields, ordering, offset, limit, cap):
    """``(rows, count)`` of a search that matches at most ``cap`` rows, or ``None`` when it matches more.

    ``rows``: at most ``limit`` dicts of ``fields`` from ``offset``, ordered by ``ordering`` (names, each
    descending: newest first). One query: the matches (at most ``cap + 1``, found through the search's indexes),
    counted and sorted around them, where a count and a page cost two passes over the same index scans; a second
    one only for a page past the last match, which brings the count.
    """
    sort = [name for name in ordering if name not in fields]
    compiler = queryset.order_by().values(*fields, *sort)[: cap + 1].query.get_compiler(using=queryset.db)
    matches, match_params = compiler.as_sql()
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in fields)
    order = ", ".join(f"{quote(name)} DESC" for name in ordering)

    def read(offset, limit):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns}, count(*) OVER () FROM ({matches}) AS matches ORDER BY {order} LIMIT %s OFFSET %s",
                (*match_params, limit, offset),
            )
            return cursor.fetchall()

    rows = read(offset, limit)
    counted = rows or (offset and read(0, 1))
    count = counted[0][-1] if counted else 0
    if count > cap:
        return None
    # The values the ORM would give (aware datetimes on SQLite too).
    converters = compiler.get_converters([expression for expression, _sql, _alias in compiler.select[: len(fields)]])
    values = [row[:-1] for row in rows]
    if converters:
        values = compiler.apply_converters(values, converters)
    return [dict(zip(fields, row, strict=True)) for row in values], count
