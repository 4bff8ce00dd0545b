"""Every upload field in the project goes through the one validator by content (registry.uploads.UploadValidator).

The model sweep reads every FileField/ImageField of every installed model; the form sweep imports every project
module and reads every form class's file fields. A field is covered by an UploadValidator in its validators, a
form field also by the model field it edits; Wagtail's images and documents by the form bases the settings name.
The rest of the file sends what the probe sent, an HTML page and an SVG renamed .pdf, through the real forms.
"""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from registry.uploads import UploadValidator

PROJECT_PACKAGES = ("cqosite", "home", "news", "registry", "filings")
#: Files the code writes itself from content it checked, never an upload.
WRITTEN_BY_THE_SYSTEM = {
    "registry.importjob.marked_workbook": "the import task's copy of the checked workbook, errors marked",
    "wagtailimages.rendition.file": "Wagtail's resized copies of images checked at upload",
    "wagtailcore.uploadedfile.file": "kept by Wagtail's multiple uploader once the upload form accepted the file",
    "awards.application.printed_pdf": "the application PDF the project renders",
    "awards.submission.pdf": "the submitted version's PDF the project renders",
    "awards.submittedfile.file": "the submission's copy of an upload checked when it was uploaded",
}
HTML = b"<html><body><script>fetch('/admin/snippets/registry/chiefqualityofficer/?export=csv')</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>'


def checked(field):
    return any(isinstance(validator, UploadValidator) for validator in field.validators)


def wagtail_form_fields():
    """The upload field of the forms Wagtail builds for its image and document models, and of the account page's
    profile picture form."""
    from registry.views import AvatarPanel

    fields = {
        f"{model._meta.label_lower}.file": form_factory(model)().fields["file"]
        for model, form_factory in ((get_image_model(), get_image_form), (get_document_model(), get_document_form))
    }
    return {**fields, "wagtailusers.userprofile.avatar": AvatarPanel.form_class.base_fields["avatar"]}


@pytest.mark.django_db
def test_every_model_file_field_is_checked_by_content():
    wagtail_forms = wagtail_form_fields()
    unchecked = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField):
                continue
            label = f"{model._meta.label_lower}.{field.name}"
            covered = checked(field) or label in WRITTEN_BY_THE_SYSTEM or checked(wagtail_forms.get(label, field))
            if not covered:
                unchecked.append(label)
    assert unchecked == []
    assert len(wagtail_forms) == 3


def project_form_classes():
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            skipped = ".migrations" in module.name or ".settings" in module.name
            if not skipped and not module.name.endswith(("wsgi", "gunicorn.conf")):
                importlib.import_module(module.name)
    seen, pending = set(), [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                pending.append(sub)
    return [cls for cls in seen if cls.__module__.split(".")[0] in PROJECT_PACKAGES]


def test_every_form_file_field_is_checked_by_content():
    unchecked, file_fields = [], 0
    for form_class in project_form_classes():
        model = getattr(getattr(form_class, "_meta", None), "model", None)
        for name, field in form_class.base_fields.items():
            if not isinstance(field, forms.FileField):
                continue
            file_fields += 1
            model_field = model._meta.get_field(name) if model is not None else None
            if not (checked(field) or (model_field is not None and checked(model_field))):
                unchecked.append(f"{form_class.__module__}.{form_class.__qualname__}.{name}")
    assert unchecked == []
    assert file_fields >= 8  # officer filing, QC unit, award filing/project/application, standard, three imports


@pytest.mark.django_db
@pytest.mark.parametrize("content", [HTML, SVG], ids=["html", "svg"])
def test_markup_renamed_pdf_is_refused_on_the_portal_naming_the_field(client, content):
    from registry.factories import EnterpriseAccountFactory, EnterpriseFactory
    from tests.registry.test_registration_form import filing

    client.force_login(EnterpriseAccountFactory(enterprise=EnterpriseFactory(region_id="130102")))
    upload = SimpleUploadedFile("登记表.pdf", content, content_type="application/pdf")
    response = client.post(reverse("officer_filing"), filing(registration_form=upload))
    assert response.status_code == 200
    errors = response.context["form"].errors["registration_form"]
    assert errors == ["“盖章的登记表”须为PDF/JPG/PNG文件，所传文件的内容不是这些格式（修改扩展名不会改变文件内容）。"]


@pytest.mark.django_db
@pytest.mark.parametrize("content", [HTML, SVG], ids=["html", "svg"])
def test_markup_renamed_pdf_is_refused_by_the_admin_officer_form(client, orgs, make_admin, content):
    """The probe's path: the city administrator's officer form accepted the page and linked it."""
    from registry.officers.factories import OfficerFactory

    officer = OfficerFactory(enterprise__region_id="130102")
    form_class = type(officer).snippet_viewset.get_form_class(for_update=True)
    form = form_class(
        instance=officer,
        data={},
        files={"registration_form": SimpleUploadedFile("form.pdf", content, content_type="application/pdf")},
        for_user=make_admin(orgs.changan),
    )
    form.is_valid()
    assert "“盖章的登记表”须为PDF/JPG/PNG文件" in " ".join(form.errors.get("registration_form", []))


@pytest.mark.django_db
@pytest.mark.parametrize("content", [HTML, SVG], ids=["html", "svg"])
def test_markup_renamed_pdf_is_refused_as_a_wagtail_document(content):
    from wagtail.models import Collection

    form = get_document_form(get_document_model())(
        data={"title": "通知", "collection": Collection.get_first_root_node().pk},
        files={"file": SimpleUploadedFile("notice.pdf", content, content_type="application/pdf")},
    )
    assert not form.is_valid()
    assert "须为PDF/Word (.docx)" in " ".join(form.errors["file"])


def test_office_files_are_told_apart_by_structure():
    import io
    import zipfile

    from registry.uploads import detect

    def archive(*names):
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w") as zipped:
            for name in ("[Content_Types].xml", *names):
                zipped.writestr(name, "<x/>")
        return data.getvalue()

    assert detect(archive("xl/workbook.xml"), ["xlsx", "docx"]) == "xlsx"
    assert detect(archive("word/document.xml"), ["xlsx", "docx"]) == "docx"
    assert detect(archive("index.html"), ["xlsx", "docx"]) is None
    assert detect("类型,标准编号\n".encode("gb18030"), ["csv"]) == "csv"
    assert detect(HTML, ["csv"]) is None and detect(b"a\x00b", ["csv"]) is None
