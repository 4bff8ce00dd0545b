"""Wagtail's own uploads (published images and documents, administrators' profile pictures) through the
project's one validator (registry.uploads).

The image and document forms are named by ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and ``WAGTAILDOCS_DOCUMENT_FORM_BASE``,
so every form Wagtail builds for them (add, edit, multiple upload, the choosers' upload tabs) checks the file by
its content; the account page (registry.views.ProfileAccountView) uses :class:`AvatarForm`.
"""

from wagtail.admin.forms.account import AvatarPreferencesForm
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from .uploads import DOCUMENTS, IMAGES, MB, UploadValidator

validate_image = UploadValidator(IMAGES, 10 * MB)
validate_document = UploadValidator(DOCUMENTS, 20 * MB)


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].validators.append(validate_image)


class AvatarForm(AvatarPreferencesForm):
    avatar = AvatarPreferencesForm.base_fields["avatar"].__class__(
        label=AvatarPreferencesForm.base_fields["avatar"].label, required=False, validators=[validate_image]
    )


class DocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].validators.append(validate_document)
