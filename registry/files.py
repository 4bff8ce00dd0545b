"""Private files: uploads that are not published (licences, stamped forms, evidence, import workbooks).

They live in the ``private`` storage (``settings.STORAGES``), a root outside ``MEDIA_ROOT`` that no web server
location serves, under random names with an extension taken from their content, so neither a guessed URL nor a
name chosen by the uploader reaches them. A :class:`PrivateFileField`'s ``url`` is the one serving view,
:func:`private_file`, which asks the record whether the requester may read it (``may_read_file(user,
field_name)``: the scope policy for administrators, the owning enterprise or unit for portal accounts) and
answers every refusal with 404, so the URL reveals nothing about which records exist. The file goes out as an
attachment that no browser renders: through nginx (``X-Accel-Redirect`` to an internal location) when
``PRIVATE_FILES_ACCEL_PREFIX`` is set, else streamed by Django.
"""

import posixpath
import uuid
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.permissions import policy_registry

from .uploads import FILE_KINDS, detect

#: Headers of every private file response: a download, never a page, whatever the browser thinks of it.
ATTACHMENT_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}


def private_storage():
    """The storage of private files (a callable, so migrations name it rather than the settings of the day)."""
    return storages["private"]


class PrivateFileSystemStorage(FileSystemStorage):
    """The private root on disk; it has no URL of its own (:attr:`PrivateFieldFile.url` names the serving view)."""

    def url(self, name):
        raise ValueError("Private files have no public URL; use the field file's url (registry.files).")


class PrivateFieldFile(FieldFile):
    @property
    def url(self):
        self._require_file()
        return file_url(self.instance, self.field.name)

    def save(self, name, content, save=True):
        """Store under a random name whose extension is what the content is (the sent name is never used)."""
        kind = detect(content)
        super().save(f"{uuid.uuid4().hex}.{FILE_KINDS[kind][0] if kind else 'bin'}", content, save)


class PrivateFileField(models.FileField):
    """A file in the private storage, read only through :func:`private_file`.

    ``upload_to`` is a folder (strftime allowed); the model must define ``may_read_file(user, field_name)``.
    """

    attr_class = PrivateFieldFile

    def __init__(self, verbose_name=None, name=None, upload_to="", **kwargs):
        kwargs.setdefault("storage", private_storage)
        kwargs.setdefault("max_length", 255)
        super().__init__(verbose_name, name, upload_to=upload_to, **kwargs)


def file_url(record, field_name):
    return reverse("private_file", args=[record._meta.label_lower, field_name, record.pk])


def administers(user, record, action="view"):
    """Whether an administrator may ``action`` ``record`` in the admin: the record's scope policy
    (``registry.policies``: the permission, and the record inside the user's subtree)."""
    if not (user.is_authenticated and user.is_active and (user.is_superuser or user.is_administrator)):
        return False
    return policy_registry.get_by_type(type(record)).user_has_permission_for_instance(user, action, record)


def private_fields():
    """Every private file field of every installed model, as (model, field)."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, PrivateFileField)
    ]


@require_safe
@never_cache
def private_file(request, model, field, pk):
    """The file in ``field`` of record ``pk`` of ``model`` ("app_label.modelname"), if the record lets the
    requester read it; 404 otherwise, and for anything that does not exist."""
    try:
        model_class = apps.get_model(model)
        model_field = model_class._meta.get_field(field)
    except (LookupError, ValueError, FieldDoesNotExist):
        raise Http404 from None
    if not isinstance(model_field, PrivateFileField):
        raise Http404
    record = model_class._base_manager.filter(pk=pk).first()
    file = getattr(record, field, None)
    if not file or not record.may_read_file(request.user, field):
        raise Http404
    return file_response(file, f"{field.replace('_', '-')}-{pk}")


def file_response(file, stem):
    """An attachment named ``stem`` plus the stored extension (which the content decided), with the headers that
    keep a browser from rendering it."""
    extension = posixpath.splitext(file.name)[1].lstrip(".")
    content_type = next((kind[1] for kind in FILE_KINDS.values() if kind[0] == extension), "application/octet-stream")
    filename = f"{stem}.{extension}" if extension else stem
    prefix = settings.PRIVATE_FILES_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    for header, value in ATTACHMENT_HEADERS.items():
        response[header] = value
    return response
