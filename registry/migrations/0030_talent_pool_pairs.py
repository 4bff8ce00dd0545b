"""The talent pool's officers listed under each character pair of their enterprise's name (PostgreSQL only).

A two-character search (中金: most Chinese words are two characters) found its officers in the pool's short-grams
index at once, then read each one's row (one table page each, 700 for a common pair at a million) to screen, count
and sort them, and a pair matching more officers than the pages list walked the pool in appointment order as well.
Here a pair's officers are one range of a B-tree in the order the pool lists them, with the certificate's expiry
beside them: its count (up to what the pages list) and its page of ids are read from the index alone, and the
twenty officers then by primary key.

Statement triggers keep the table on every write to the officers (a save, ``bulk_create``, a COPY, an ``UPDATE``,
the rename migration 0029's trigger makes, a ``TRUNCATE``); an update is matched to its row by id, which nothing
changes. They name the columns they read (``READ``) inside ``EXECUTE`` strings, where PostgreSQL cannot see them:
a later migration altering one of them has to create the triggers again, or every write to the officers fails.
The key is unique: a row written twice (triggers bypassed, then fired again) is an error, not a repeated officer.
"""

from django.db import migrations

#: An officer listed in the pool on some day (the partial index registry_officer_pool's condition), not erased.
LISTED = (
    "{row}.live AND {row}.certificate_valid_until IS NOT NULL AND {row}.certificate_revoked_at IS NULL"
    " AND {row}.erased_at IS NULL"
)

#: What a pair's row is made of: any change to these lists the officer again.
READ = ("enterprise_name", "appointment_date", "certificate_valid_until", "certificate_revoked_at", "live", "erased_at")


def listed(row):
    return LISTED.format(row=row)


def rows(officers):
    """The pair rows of ``officers`` (an alias of officer rows): NULL appointment dates as 'infinity', which a
    descending order puts first, as ``ORDER BY appointment_date DESC`` puts NULL."""
    return (
        f"SELECT pair, coalesce({officers}.appointment_date, 'infinity'), {officers}.id,"
        f" {officers}.certificate_valid_until FROM {{source}}"
        f" CROSS JOIN LATERAL registry_talent_pool_pairs({officers}.enterprise_name) AS pair"
    )


def changed(old, new):
    return (
        "("
        + ", ".join(f"{old}.{column}" for column in READ)
        + ") IS DISTINCT FROM ("
        + ", ".join(f"{new}.{column}" for column in READ)
        + ")"
    )


INSERT = "INSERT INTO registry_talent_pool_pair (pair, appointed, officer_id, valid_until) "
UNLIST = (
    "DELETE FROM registry_talent_pool_pair AS listed USING ({rows}) AS gone (pair, appointed, officer_id)"
    " WHERE listed.pair = gone.pair AND listed.appointed = gone.appointed AND listed.officer_id = gone.officer_id"
)


def unlist(source, where):
    """Delete the rows of the officers ``source`` yields where ``where``: found by the index, all three key columns."""
    return UNLIST.format(
        rows=f"SELECT pair, coalesce(old_row.appointment_date, 'infinity'), old_row.id FROM {source}"
        f" CROSS JOIN LATERAL registry_talent_pool_pairs(old_row.enterprise_name) AS pair WHERE {where}"
    )


def trigger_function(name, *statements):
    """A statement trigger's function running ``statements``, each planned for the rows of its own statement: a
    plan kept from the first call would keep the first call's row count (a million-row COPY, or one save)."""
    body = "".join(f"EXECUTE $statement${statement}$statement$;\n" for statement in statements)
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
    {body}RETURN NULL;
    END $$"""


ADDED = INSERT + rows("new_row").format(source="added AS new_row") + f" WHERE {listed('new_row')}"
BOTH = "removed AS old_row JOIN added AS new_row ON new_row.id = old_row.id"
CHANGED = changed("old_row", "new_row")

POSTGRESQL = [
    """CREATE TABLE registry_talent_pool_pair (
        pair text NOT NULL,
        appointed date NOT NULL,
        officer_id bigint NOT NULL,
        valid_until date NOT NULL
    )""",
    # The name's character pairs (cqo_short_grams' two-character lexemes, lower-cased as the search is).
    """CREATE FUNCTION registry_talent_pool_pairs(name text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT lexeme FROM unnest(tsvector_to_array(cqo_short_grams(name))) AS lexeme WHERE char_length(lexeme) = 2
    $$""",
    trigger_function("registry_talent_pool_officers_added", ADDED),
    """CREATE TRIGGER registry_talent_pool_officers_added AFTER INSERT ON registry_chiefqualityofficer
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION registry_talent_pool_officers_added()""",
    trigger_function(
        "registry_talent_pool_officers_changed",
        unlist(BOTH, f"{CHANGED} AND {listed('old_row')}"),
        INSERT + rows("new_row").format(source=BOTH) + f" WHERE {CHANGED} AND {listed('new_row')}",
    ),
    """CREATE TRIGGER registry_talent_pool_officers_changed AFTER UPDATE ON registry_chiefqualityofficer
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION registry_talent_pool_officers_changed()""",
    trigger_function("registry_talent_pool_officers_removed", unlist("removed AS old_row", listed("old_row"))),
    """CREATE TRIGGER registry_talent_pool_officers_removed AFTER DELETE ON registry_chiefqualityofficer
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION registry_talent_pool_officers_removed()""",
    trigger_function("registry_talent_pool_officers_truncated", "TRUNCATE registry_talent_pool_pair"),
    """CREATE TRIGGER registry_talent_pool_officers_truncated AFTER TRUNCATE ON registry_chiefqualityofficer
    FOR EACH STATEMENT EXECUTE FUNCTION registry_talent_pool_officers_truncated()""",
    INSERT + rows("officer").format(source="registry_chiefqualityofficer AS officer") + f" WHERE {listed('officer')}",
    # The pool's order within a pair; the expiry is read from the index too, so a search visits no table page.
    """CREATE UNIQUE INDEX registry_talent_pool_pair_listed ON registry_talent_pool_pair
    (pair, appointed DESC, officer_id DESC) INCLUDE (valid_until)""",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in ("added", "changed", "removed", "truncated"):
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS registry_talent_pool_officers_{event} ON registry_chiefqualityofficer"
        )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS registry_talent_pool_officers_{event}()")
    schema_editor.execute("DROP TABLE IF EXISTS registry_talent_pool_pair")
    schema_editor.execute("DROP FUNCTION IF EXISTS registry_talent_pool_pairs(text)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0029_officer_enterprise_name")]

    operations = [migrations.RunPython(create, drop)]
