"""What an application submitted, frozen: every read path after submission shows this, never the live records.

The applicant keeps editing the filing and the project (they are shared by later applications), so a
submission copies them into ``data`` (display-ready JSON) and keeps its own reference to every file it
submitted; a resubmission after a return makes a new version and the review log shows what changed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.files import PrivateFileField

from ..uploads import upload_to


class Submission(models.Model):
    """One submitted version of an application (the first submission, then each resubmission)."""

    application = models.ForeignKey("awards.Application", on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField(_("submitted data"), default=dict)
    submitted_by = models.ForeignKey(
        "registry.User", verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    #: The printed version (cover to pledge), rendered once: it never changes (pdf.dossier_pdf).
    pdf = PrivateFileField(_("printed version"), upload_to=upload_to, blank=True, editable=False)

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("submitted version")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="awards_one_submission_per_number")
        ]

    def __str__(self):
        return f"{self.application_id} v{self.number}"

    def may_read_file(self, user, field_name):
        from .. import access

        return access.can_view_application(user, self.application)


class SubmittedFile(models.Model):
    """A file as submitted: a copy under its own name, so replacing the live upload leaves it unchanged."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    key = models.CharField(_("what"), max_length=64)
    file = PrivateFileField(_("file"), upload_to=upload_to)
    #: The live file it was copied from: an unchanged file is not copied again by the next version.
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["submission", "key"]
        verbose_name = _("submitted file")
        constraints = [models.UniqueConstraint(fields=["submission", "key"], name="awards_one_file_per_key")]

    def __str__(self):
        return self.key

    def may_read_file(self, user, field_name):
        return self.submission.may_read_file(user, field_name)
