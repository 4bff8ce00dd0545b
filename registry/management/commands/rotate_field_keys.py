"""Re-encrypt every encrypted personal identifier under the newest key and recompute the keyed hashes.

Rotation: put the new Fernet key first in ``FIELD_ENCRYPTION_KEYS`` (the old ones after it, so every value still
decrypts), restart, run this command, then drop the old keys. It works a chunk of rows per transaction, so the site
stays up; a run that stops can simply be started again. A new ``FIELD_HASH_KEY`` takes effect for a row when this
command reaches it (exact-match lookups of rows not yet reached miss until then).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from wagtail.models import Revision

from registry.crypto import encrypted_fields, reencrypt, reencrypt_revisions


class Command(BaseCommand):
    help = "Re-encrypt personal identifiers under the newest FIELD_ENCRYPTION_KEYS key and recompute their hashes."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per transaction (default 1000).")

    def handle(self, *args, batch_size, **options):
        for model in apps.get_models():
            if model._meta.proxy or not encrypted_fields(model):
                continue
            rows = reencrypt(model, batch_size=batch_size)
            revisions = reencrypt_revisions(model, Revision, ContentType, batch_size=max(1, batch_size // 2))
            self.stdout.write(f"{model._meta.label}: {rows} rows, {revisions} revisions re-encrypted")
