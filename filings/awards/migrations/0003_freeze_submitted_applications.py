"""Formerly froze the applications submitted before versions existed, with the code's models and ``freeze``.

Those models match the database only once every migration is applied (later ones add columns they read), so on a
database still before this migration the freezing failed. It is done after ``migrate`` instead, when the
database is fully migrated (``snapshot.freeze_left_unfrozen``, a post_migrate receiver).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_submitted_versions")]

    operations = []
