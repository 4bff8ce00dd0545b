"""Personal identifiers encrypted at rest, found by a keyed hash, shown masked (issue 20 items 1 and 2).

- **Encryption**: ``cryptography``'s Fernet (AES-128-CBC with HMAC-SHA256, a random IV per value) under
  ``MultiFernet``: ``settings.FIELD_ENCRYPTION_KEYS`` lists keys newest first; the newest encrypts, every one
  decrypts, so a key is rotated by putting a new one first and running ``rotate_field_keys``.
- **Lookups and uniqueness**: a Fernet token differs each time, so an equality lookup on the value cannot work; a
  :class:`KeyedHashField` beside it holds HMAC-SHA256 of the normalised value under ``settings.FIELD_HASH_KEY``
  (unique where the value must be). Query it with :func:`keyed_hash`; an exact lookup on the encrypted field itself
  raises instead of silently matching nothing.
- **Where the value goes**: rows (``pre_save``/``get_db_prep_save``), Wagtail revisions and ``dumpdata``
  (``value_to_string``; ``registry.serializers`` for dates) hold the token, one per value and instance while the
  value and the keys are unchanged (:func:`encrypted_value`); Python code and forms see the plain value
  (``from_db_value``, ``to_python``).
"""

import functools
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models, transaction
from django.db.models.lookups import Exact

from .validators import normalise

TOKEN_PREFIX = "gAAAAA"  # every Fernet token: version byte 0x80 and a 64-bit timestamp's high bytes, base64


@functools.cache
def _fernet(keys):
    from cryptography.fernet import Fernet, MultiFernet

    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: personal identifiers cannot be encrypted.")
    try:
        cipher = MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS holds a malformed key: {error}") from None
    # What encrypted_value's memo compares: this process's cipher for this list of keys (never the keys).
    cipher.memo_tag = secrets.token_hex(8)
    return cipher


def fernet():
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def is_token(value):
    return isinstance(value, str) and value.startswith(TOKEN_PREFIX)


def encrypt(text):
    """The token for ``text`` under the newest key ("" and ``None`` are kept: there is nothing to hide)."""
    if not text or is_token(text):
        return text
    return fernet().encrypt(str(text).encode()).decode()


def decrypt(value):
    """The plain text of a token (any configured key); a value that is not a token (a row the migration has not
    reached) is returned as it is."""
    if not is_token(value):
        return value
    return fernet().decrypt(value.encode()).decode()


def rotate(value):
    """The token re-encrypted under the newest key."""
    if not is_token(value):
        return encrypt(value)
    return fernet().rotate(value.encode()).decode()


def encrypted_value(instance, field, text):
    """The token for ``text`` as ``field``'s value on ``instance``: encrypted once while the value and the keys stay
    the same. A save writes each value through ``pre_save`` and, for Wagtail's revision, ``value_to_string``: an
    import encrypted an officer's two values seven times (and decrypted one) to write the row and its revision."""
    kept = instance.__dict__.setdefault("_encrypted_values", {})
    if not text or is_token(text):
        kept.pop(field.attname, None)  # a value cleared leaves no plain text behind
        return text
    cipher = fernet()
    found = kept.get(field.attname)
    if found is not None and found[:2] == (text, cipher.memo_tag):
        return found[2]
    token = cipher.encrypt(str(text).encode()).decode()
    kept[field.attname] = (text, cipher.memo_tag, token)
    return token


def keyed_hash(value):
    """HMAC-SHA256 (hex) of the normalised value (NFKC, no spaces, upper case), ``None`` for no value."""
    if value is None:
        return None
    text = normalise(str(value)).upper()
    if not text:
        return None
    return hmac.new(settings.FIELD_HASH_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.CharField):
    """A CharField stored as a Fernet token in a text column (``max_length`` bounds the plain value)."""

    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def to_python(self, value):
        return decrypt(super().to_python(value))

    def pre_save(self, model_instance, add):
        # The token, as for dates: the row and the revision Wagtail copies from it share one (encrypted_value).
        return encrypted_value(model_instance, self, super().pre_save(model_instance, add))

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql"):  # an expression (bulk_update's CASE): its values come back here one by one
            return value
        if is_token(value):  # from pre_save
            return value
        return encrypt(self.get_prep_value(value))

    def value_to_string(self, obj):
        return encrypted_value(obj, self, self.value_from_object(obj))


class EncryptedDateField(models.DateField):
    """A DateField stored as a Fernet token of its ISO date (the date of birth an ID number gives away)."""

    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        return super().to_python(decrypt(value))

    def pre_save(self, model_instance, add):
        # The token, not the date: Wagtail's revisions copy what pre_save returns and keep dates as they are.
        value = super().pre_save(model_instance, add)
        return encrypted_value(model_instance, self, value.isoformat() if value else value)

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql") or is_token(value):  # an expression, or the token pre_save gave
            return value
        value = self.get_prep_value(value)
        return encrypt(value.isoformat()) if value else None

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return encrypted_value(obj, self, value.isoformat() if value else "")


ENCRYPTED_FIELDS = (EncryptedCharField, EncryptedDateField)


@EncryptedCharField.register_lookup
@EncryptedDateField.register_lookup
class EncryptedExact(Exact):
    """Only "is empty" can be asked of the column itself; a value is found through its keyed hash."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target.name} is encrypted: filter on its keyed hash (registry.crypto).")
        return super().get_prep_lookup()


class KeyedHashField(models.CharField):
    """The keyed hash of another field of the row, computed on every save (``bulk_create`` too)."""

    def __init__(self, *args, source, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = keyed_hash(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def encrypted_fields(model):
    """``[(encrypted field, its keyed-hash field or None)]`` of ``model``."""
    hashes = {field.source: field for field in model._meta.concrete_fields if isinstance(field, KeyedHashField)}
    return [
        (field, hashes.get(field.name)) for field in model._meta.concrete_fields if isinstance(field, ENCRYPTED_FIELDS)
    ]


def reencrypt(model, batch_size=1000):
    """Re-encrypt every encrypted value of ``model`` under the newest key and recompute its keyed hashes, a chunk
    of rows per transaction (a plain value left by an older schema is encrypted). Returns the rows written.

    Works on migrations' historical models too: their fields are these classes.
    """
    pairs = encrypted_fields(model)
    if not pairs:
        return 0
    names = [field.attname for field, _hashed in pairs] + [hashed.attname for _field, hashed in pairs if hashed]
    manager = model._base_manager
    last, written = None, 0
    while True:
        rows = manager.order_by("pk").only(*names)
        rows = list((rows if last is None else rows.filter(pk__gt=last))[:batch_size])
        if not rows:
            return written
        for row in rows:
            for field, hashed in pairs:
                if hashed is not None:
                    setattr(row, hashed.attname, keyed_hash(getattr(row, field.attname)))
        with transaction.atomic(using=manager.db):
            manager.bulk_update(rows, names)
        last, written = rows[-1].pk, written + len(rows)


def reencrypt_revisions(model, revision_model, content_type_model, batch_size=500):
    """The same for the copies Wagtail keeps of ``model``'s records (revision content): every encrypted value
    under the newest key, its keyed hash recomputed. Returns the revisions written."""
    pairs = encrypted_fields(model)
    content_types = content_type_model.objects.filter(app_label=model._meta.app_label, model=model._meta.model_name)
    if not pairs or not content_types.exists():
        return 0
    manager = revision_model._base_manager
    revisions = manager.filter(content_type__in=content_types).order_by("pk")
    last, written = None, 0
    while True:
        chunk = list((revisions if last is None else revisions.filter(pk__gt=last)).only("pk", "content")[:batch_size])
        if not chunk:
            return written
        for revision in chunk:
            content = dict(revision.content or {})
            for field, hashed in pairs:
                if content.get(field.attname):
                    value = content[field.attname]
                    content[field.attname] = rotate(value if is_token(value) else str(value))
                    if hashed is not None:
                        content[hashed.attname] = keyed_hash(decrypt(value))
            revision.content = content
        with transaction.atomic(using=manager.db):
            manager.bulk_update(chunk, ["content"])
        last, written = chunk[-1].pk, written + len(chunk)


# --- masked display ------------------------------------------------------------------------------------------


def mask_mobile(mobile):
    """138****5678: enough to tell two people apart, not enough to call them ("" for no number)."""
    if not mobile:
        return ""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 8 else "****"


def mask_id_number(number):
    """1301**********5014: the region's first four characters and the last four ("" for no number)."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


#: Field names (the last part of a dotted export path) whose values are shown masked by default, and how.
MASKS = {
    "mobile": mask_mobile,
    "head_mobile": mask_mobile,
    "quality_head_mobile": mask_mobile,
    "id_number": mask_id_number,
    "legal_representative_id_number": mask_id_number,
}


def masked(name, value):
    """``value`` of the field ``name`` (``"enterprise.head_mobile"`` too) as shown by default: masked if it is an
    ID number or a mobile, as it is otherwise."""
    mask = MASKS.get(str(name).rsplit(".", 1)[-1].rsplit("__", 1)[-1])
    return mask(value) if mask is not None and isinstance(value, str) else value
