"""The officer's copy of its enterprise's name, for the public talent pool.

A search by a two-character word (中金) matched 850 enterprises at a million: their rows, then each one's officer
through the enterprise index, 4,100 pages for a page of twenty. On the officer's own copy, indexed for the pool's
officers only (trigrams and ``cqo_short_grams``, PostgreSQL), it reads the matching officers' rows alone.

Triggers keep the copy on every write, whichever code path makes it (a save, ``bulk_create``, a COPY, an
``UPDATE``): an officer written takes its enterprise's name, an enterprise renamed gives its officers the new one.
A later migration that alters either column has to drop and create them again: PostgreSQL refuses to change a
column a trigger names, and SQLite drops a table's triggers when Django rebuilds the table.
"""

from django.db import migrations, models

POSTGRESQL = [
    """CREATE FUNCTION registry_officer_enterprise_name() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- FOR SHARE waits for a rename being made: the new name is read once it commits, never the old one.
        NEW.enterprise_name := coalesce(
            (SELECT name FROM registry_enterprise WHERE id = NEW.enterprise_id FOR SHARE), ''
        );
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER registry_officer_enterprise_name
    BEFORE INSERT OR UPDATE OF enterprise_id, enterprise_name ON registry_chiefqualityofficer
    FOR EACH ROW EXECUTE FUNCTION registry_officer_enterprise_name()""",
    """CREATE FUNCTION registry_enterprise_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE registry_chiefqualityofficer SET enterprise_name = NEW.name WHERE enterprise_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER registry_enterprise_renamed AFTER UPDATE OF name ON registry_enterprise
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION registry_enterprise_renamed()""",
    """UPDATE registry_chiefqualityofficer AS officer SET enterprise_name = enterprise.name
    FROM registry_enterprise AS enterprise WHERE enterprise.id = officer.enterprise_id""",
]

#: The talent pool's officers (the partial index registry_officer_pool's condition).
POOL = "live AND certificate_valid_until IS NOT NULL AND certificate_revoked_at IS NULL"

POSTGRESQL_INDEXES = [
    f"""CREATE INDEX registry_officer_pool_name_trgm ON registry_chiefqualityofficer
    USING gin (enterprise_name gin_trgm_ops) WHERE {POOL}""",
    f"""CREATE INDEX registry_officer_pool_name_grams ON registry_chiefqualityofficer
    USING gin (cqo_short_grams(enterprise_name)) WITH (gin_pending_list_limit = 64) WHERE {POOL}""",
]

POSTGRESQL_STATISTICS = """CREATE STATISTICS registry_chiefqualityofficer_enterprise_name_trigrams
    ON (show_trgm(enterprise_name)) FROM registry_chiefqualityofficer"""

SQLITE = [
    """CREATE TRIGGER registry_officer_enterprise_name_inserted AFTER INSERT ON registry_chiefqualityofficer
    BEGIN
        UPDATE registry_chiefqualityofficer
        SET enterprise_name = coalesce((SELECT name FROM registry_enterprise WHERE id = NEW.enterprise_id), '')
        WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER registry_officer_enterprise_name_updated
    AFTER UPDATE OF enterprise_id, enterprise_name ON registry_chiefqualityofficer
    WHEN NEW.enterprise_name IS NOT (SELECT name FROM registry_enterprise WHERE id = NEW.enterprise_id)
    BEGIN
        UPDATE registry_chiefqualityofficer
        SET enterprise_name = coalesce((SELECT name FROM registry_enterprise WHERE id = NEW.enterprise_id), '')
        WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER registry_enterprise_renamed AFTER UPDATE OF name ON registry_enterprise
    WHEN OLD.name IS NOT NEW.name
    BEGIN
        UPDATE registry_chiefqualityofficer SET enterprise_name = NEW.name WHERE enterprise_id = NEW.id;
    END""",
    """UPDATE registry_chiefqualityofficer
    SET enterprise_name = coalesce((SELECT name FROM registry_enterprise WHERE id = enterprise_id), '')""",
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        statements = POSTGRESQL + POSTGRESQL_INDEXES
        if connection.pg_version >= 140000:
            statements.append(POSTGRESQL_STATISTICS)
    elif connection.vendor == "sqlite":
        statements = SQLITE
    else:
        raise NotImplementedError(f"the officers' enterprise names need triggers written for {connection.vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in [
            "DROP STATISTICS IF EXISTS registry_chiefqualityofficer_enterprise_name_trigrams",
            "DROP INDEX IF EXISTS registry_officer_pool_name_grams",
            "DROP INDEX IF EXISTS registry_officer_pool_name_trgm",
            "DROP TRIGGER IF EXISTS registry_enterprise_renamed ON registry_enterprise",
            "DROP FUNCTION IF EXISTS registry_enterprise_renamed()",
            "DROP TRIGGER IF EXISTS registry_officer_enterprise_name ON registry_chiefqualityofficer",
            "DROP FUNCTION IF EXISTS registry_officer_enterprise_name()",
        ]:
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite":
        for trigger in [
            "registry_officer_enterprise_name_inserted",
            "registry_officer_enterprise_name_updated",
            "registry_enterprise_renamed",
        ]:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0028_enterprise_name_trigram_statistics")]

    operations = [
        migrations.AddField(
            model_name="chiefqualityofficer",
            name="enterprise_name",
            field=models.CharField(default="", editable=False, max_length=200, verbose_name="enterprise name"),
        ),
        migrations.RunPython(create, drop),
    ]
