"""Inserting thousands of rows at once: PostgreSQL's COPY where it runs, ``bulk_create`` elsewhere.

Django's ``bulk_create`` on PostgreSQL sends each column as an array that psycopg quotes value by value in
Python; a 5,000-row import writing officers, revisions (whole JSON documents), workflow states and history
spent most of its time there. ``COPY … FROM STDIN`` streams the rows in PostgreSQL's text format instead,
and ids taken from the table's sequence beforehand let rows that point at each other be written in any order
(foreign keys are checked at commit).
"""

from django.db import connections, router


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
    fields = model._meta.concrete_fields
    copy_in(
        model,
        [field.column for field in fields],
        ([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields] for obj in objs),
        connection,
    )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def insert_rows(model, rows):
    """Insert plain rows (dicts of attribute name → value) of ``model`` and return their new ids, in order.

    For write paths that never need the model instances (revisions, workflow states, history entries): building
    thousands of instances only to take them apart again costs more than the COPY itself. Fields a row leaves
    out get their model default.
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return [obj.pk for obj in model._base_manager.bulk_create([model(**row) for row in rows], batch_size=1000)]
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
