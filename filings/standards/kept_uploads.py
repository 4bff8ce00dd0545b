"""Uploads that survive a failed submit (issue 21): nobody should have to choose the same PDF again.

A valid upload on a form that fails elsewhere is stored under ``standards/pending/`` in the disclosure's own
file storage, and the page carries a signed token naming it in a hidden ``<field>__kept`` input. The next post
without a new file for that field gets the stored file back from :func:`restore`. The token is signed and
expires and names its user, so a client can neither name another stored file, nor use another user's, nor revive
an old one; the content was checked by
the field's validators (``registry.uploads.sniff``) when it was first uploaded and is checked again on reuse.
"""

import datetime
import secrets

from django.core import signing
from django.core.files import File
from django.forms import ClearableFileInput
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

KEPT_SUFFIX = "__kept"
SALT = "standards.kept-upload"
MAX_AGE = 24 * 3600
PENDING_DIR = "standards/pending/"


def storage():
    from .models import DisclosedStandard

    return DisclosedStandard._meta.get_field("full_text").storage


class KeptFile(File):
    """A stored pending upload handed back to a form; ``token`` keeps it from being stored twice."""

    token = ""


class KeptFileInput(ClearableFileInput):
    """A file input that also renders the token and name of an upload kept from the previous attempt."""

    kept = None  # (token, file name), set by keep_uploads on this form's own copy of the widget

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.kept:
            return html
        token, filename = self.kept
        return html + format_html(
            '<input type="hidden" name="{}" value="{}"><small class="kept-upload">{}</small>',
            name + KEPT_SUFFIX,
            token,
            _("Uploaded: %(name)s (no need to choose it again)") % {"name": filename},
        )


def restore(post, files, owner):
    """``files`` plus, for each field with a valid kept token of ``owner`` (a user id) and no new file, the upload."""
    restored = files.copy()
    for key, token in post.items():
        field = key.removesuffix(KEPT_SUFFIX)
        if field == key or restored.get(field):
            continue
        try:
            data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            continue
        if data.get("owner") != owner or not storage().exists(data["path"]):
            continue
        kept = KeptFile(storage().open(data["path"], "rb"), name=data["filename"])
        kept.token = token
        restored[field] = kept
    return restored


def keep_uploads(forms, owner):
    """Store each valid upload of ``forms`` (after a failed submit) and show its token, for ``owner`` only, in the
    form's widget."""
    for form in forms:
        for name, field in form.fields.items():
            upload = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
            if not isinstance(field.widget, KeptFileInput) or name in form.errors or not upload:
                continue
            if form.files.get(form.add_prefix(name)) is not upload:
                continue  # the record's already saved file, not an upload
            token = getattr(upload, "token", "") or keep(upload, owner)
            field.widget.kept = (token, upload.name)


def keep(upload, owner):
    upload.seek(0)
    path = storage().save(f"{PENDING_DIR}{secrets.token_hex(16)}.pdf", upload)
    return signing.dumps({"path": path, "filename": upload.name, "owner": owner}, salt=SALT)


def discard(files):
    """Delete the pending copies once the record holds its own (they were saved again under its upload_to)."""
    for upload in files.values():
        path = getattr(upload, "token", "") and signing.loads(upload.token, salt=SALT)["path"]
        if path:
            upload.close()
            storage().delete(path)


def prune(now=None):
    """Delete the pending uploads whose tokens have expired (never used: a used one was discarded); their count."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=MAX_AGE)
    store = storage()
    try:
        _folders, names = store.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = PENDING_DIR + name
        if store.get_modified_time(path) < cutoff:
            store.delete(path)
            deleted += 1
    return deleted
