"""Projects (申报主体): what an organisation applies with, reusable across programmes."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.files import PrivateFileField
from registry.policies import owns

from ..uploads import upload_to, validate_evidence

KEYWORD_SEPARATORS = "、,，;； "


def split_keywords(text):
    for separator in KEYWORD_SEPARATORS[1:]:
        text = text.replace(separator, KEYWORD_SEPARATORS[0])
    return [word.strip() for word in text.split(KEYWORD_SEPARATORS[0]) if word.strip()]


def validate_keywords(text):
    count = len(split_keywords(text))
    if not 1 <= count <= 3:
        raise ValidationError(
            _("Give 1-3 keywords separated by 、; found %(count)d."),
            code="keywords",
            params={"count": count},
        )


class Project(models.Model):
    #: The enterprise's unit: where an administrator holding the model permission finds it (registry.policies).
    scope_lookup = "enterprise__organisation"

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="award_projects"
    )
    name = models.CharField(_("project name"), max_length=200)
    keywords = models.CharField(
        _("keywords"), max_length=120, validators=[validate_keywords], help_text=_("1-3 keywords separated by 、")
    )
    introduction = models.TextField(_("introduction"))
    other_attachment = PrivateFileField(
        _("other supporting material"), upload_to=upload_to, validators=[validate_evidence], blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.name

    def may_read_file(self, user, field_name):
        """The live uploads are their enterprise's; reviewers and experts read the submitted copies."""
        return owns(user, self)

    def save(self, *args, **kwargs):
        self.keywords = "、".join(split_keywords(self.keywords))
        super().save(*args, **kwargs)


class IntellectualProperty(models.Model):
    class Kind(models.TextChoices):
        INVENTION = "invention", _("Invention patent")
        UTILITY = "utility", _("Utility model")
        DESIGN = "design", _("Design patent")
        SOFTWARE = "software", _("Software copyright")
        TRADEMARK = "trademark", _("Trademark")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="intellectual_property")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country/region"), max_length=64, default="中国")
    granted_on = models.DateField(_("grant date"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    holder = models.CharField(_("holder"), max_length=200)
    inventors = models.CharField(_("inventors"), max_length=200, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    application_number = models.CharField(_("application number"), max_length=64, blank=True)
    patent_number = models.CharField(_("grant (patent) number"), max_length=64, blank=True)
    proof = PrivateFileField(_("proof"), upload_to=upload_to, validators=[validate_evidence], blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("intellectual property")
        verbose_name_plural = _("intellectual property")

    def __str__(self):
        return self.name

    def may_read_file(self, user, field_name):
        return self.project.may_read_file(user, field_name)


class Honour(models.Model):
    class Level(models.TextChoices):
        INTERNATIONAL = "international", _("International")
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        MUNICIPAL = "municipal", _("Municipal")
        INDUSTRY = "industry", _("Industry")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="honours")
    award = models.CharField(_("award"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    awarding_body = models.CharField(_("awarding body"), max_length=200)
    awarded_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    proof = PrivateFileField(_("proof"), upload_to=upload_to, validators=[validate_evidence], blank=True)

    class Meta:
        ordering = ["-awarded_on", "id"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")

    def __str__(self):
        return self.award

    def may_read_file(self, user, field_name):
        return self.project.may_read_file(user, field_name)
