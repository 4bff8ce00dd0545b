"""Every stored ID number (and officer's date of birth) encrypted, with its keyed hash, in the rows and in Wagtail's
revisions. A migration of its own: the columns' indexes are created when a migration's schema changes end, and
PostgreSQL refuses to create one on a table this transaction has just updated (pending deferred-key checks)."""

from django.db import migrations


def encrypt_existing(apps, schema_editor):
    """Every stored ID number (and officer's date of birth) encrypted, its keyed hash computed, in the rows and in
    Wagtail's revisions."""
    from registry.crypto import reencrypt, reencrypt_revisions

    for name in ("ChiefQualityOfficer", "Enterprise", "User"):
        model = apps.get_model("registry", name)
        reencrypt(model)
        reencrypt_revisions(model, apps.get_model("wagtailcore", "Revision"), apps.get_model("contenttypes", "ContentType"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0022_merge_tally_encryption"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
