"""Inserting thousands of rows at once: PostgreSQL's COPY where it runs, ``bulk_create`` elsewhere.

Django's ``bulk_create`` on PostgreSQL sends each column as an array that psycopg quotes value by value in
Python; a 5,000-row import writing officers, revisions (whole JSON documents), workflow states and history
spent most of its time there. ``COPY … FROM STDIN`` streams the rows in PostgreSQL's text format instead,
and ids taken from the table's sequence beforehand let rows that point at each other be written in any order
(foreign keys are checked at commit).
"""

from django.db import connections, models, router


def next_ids(model, count, connection):
    """``count`` fresh ids from the sequence of ``model``'s table (PostgreSQL; one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def allocate_ids(model, objs, connection):
    """Give every object without a primary key the next id of its table's sequence."""
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, next_ids(model, len(missing), connection) if missing else [], strict=True):
        obj.pk = pk


def copy_in(model, columns, rows, connection):
    """Stream ``rows`` (sequences of database values for ``columns``) into ``model``'s table by COPY."""
    quote = connection.ops.quote_name
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(column) for column in columns)
    )
    # The raw psycopg cursor: wrap its errors so callers catch Django's IntegrityError as usual.
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for values in rows:
            copy.write_row(values)


def bulk_insert(model, objs, *, batch_size=1000):
    """Insert ``objs`` (new instances of ``model``), returning them with their primary keys set.

    Like ``bulk_create``, it sends no signals and calls no ``save()``; ``pre_save`` still fills
    ``auto_now``/``auto_now_add`` fields.
    """
    objs = list(objs)
    if not objs:
        return objs
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return model._base_manager.bulk_create(objs, batch_size=batch_size)
    allocate_ids(model, objs, connection)
    columns = [field.column for field in model._meta.concrete_fields]
    copy_in(model, columns, map(copy_row(model, connection), objs), connection)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def copy_row(model, connection):
    """A function giving a new instance's values for COPY, column by column: ``get_db_prep_save(pre_save(obj, True))``
    of each field, as ``bulk_create`` sends them, but the attribute itself where that is what those calls return
    (:data:`PLAIN_TYPES`)."""
    plain = [(field, field.attname, plain_type(field)) for field in model._meta.concrete_fields]

    def row(obj):
        values = []
        for field, attname, kind in plain:
            value = getattr(obj, attname) if kind is not None else None
            if kind is None or (value is not None and type(value) is not kind):
                value = field.get_db_prep_save(field.pre_save(obj, True), connection)
            values.append(value)
        return values

    return row


def reserve_ids(model, count):
    """``count`` ids for rows of ``model`` written later (``insert_rows(..., ids=)``), so that rows pointing at them
    can be written first, with the pointer, rather than updated after; ``None`` where the database numbers rows only
    as it inserts them (anything but PostgreSQL)."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return None
    return next_ids(model, count, connection) if count else []


#: Field classes (exactly these: a subclass may encrypt, say) whose value in the database is the attribute itself when
#: it is of this type or None: ``get_db_prep_save(pre_save(…))`` gives it back unchanged, in three calls a column a row
#: (a 5,000-row import of 52-column records spent 0.8 s there).
PLAIN_TYPES = {
    models.AutoField: int,
    models.BigAutoField: int,
    models.CharField: str,
    models.TextField: str,
    models.EmailField: str,
    models.URLField: str,
    models.SlugField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.BooleanField: bool,
}


def plain_type(field):
    """The type of value ``field`` writes as it is (:data:`PLAIN_TYPES`; a foreign key: its target's), or None."""
    if type(field) in (models.ForeignKey, models.OneToOneField):
        target = field.target_field
        return int if PLAIN_TYPES.get(type(target)) is int else None
    return PLAIN_TYPES.get(type(field))


def insert_rows(model, rows, ids=None):
    """Insert plain rows (dicts of attribute name → value) of ``model`` and return their new ids, in order: ``ids``
    when given (from :func:`reserve_ids`, which gives some on PostgreSQL only).

    For write paths that never need the model instances (revisions, workflow states, history entries): building
    thousands of instances only to take them apart again costs more than the COPY itself. Fields a row leaves
    out get their model default.
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return [obj.pk for obj in model._base_manager.bulk_create([model(**row) for row in rows], batch_size=1000)]
    if ids is None:
        ids = next_ids(model, len(rows), connection)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: field.get_default() for field in fields if field.attname not in rows[0]}
    # Only values that psycopg cannot send as they are (JSON documents) go through the field.
    prepare = {field.attname: field for field in fields if field.get_internal_type() == "JSONField"}
    names = [field.attname for field in fields]

    def values(pk, row):
        yield pk
        for name in names:
            value = row[name] if name in row else defaults[name]
            yield prepare[name].get_db_prep_save(value, connection) if name in prepare else value

    copy_in(
        model,
        [model._meta.pk.column] + [field.column for field in fields],
        (list(values(pk, row)) for pk, row in zip(ids, rows, strict=True)),
        connection,
    )
    return ids


def chunks(items, size):
    """Consecutive slices of ``items`` of at most ``size``: under a database's limit of parameters per query."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
