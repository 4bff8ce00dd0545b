"""Award programmes are pages: an editor opens a new programme without any code change."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page


class AwardIndexPage(Page):
    """The list of award programmes (/awards/ in the demo site)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["awards.AwardProgrammePage"]
    max_count = 1
    template = "awards/award_index_page.html"

    class Meta:
        verbose_name = _("award index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = AwardProgrammePage.objects.child_of(self).live().specific().order_by("-opens_at")
        return context


class ProgrammeForm(WagtailAdminPageForm):
    """An organiser's administrator names their own organisation (or one below it) as the organiser."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not user.is_superuser and user.organisation_id and "organiser" in self.fields:
            from registry.models import Organisation

            self.fields["organiser"].queryset = Organisation.objects.filter(path__startswith=user.organisation.path)


class AwardProgrammePage(Page):
    """One award programme (e.g. 2026年全国质量标杆): dates, data years, pledge, units and review stages."""

    description = RichTextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    first_data_year = models.PositiveSmallIntegerField(_("first year of economic data"))
    last_data_year = models.PositiveSmallIntegerField(_("last year of economic data"))
    pledge = models.TextField(_("pledge"), help_text=_("The undertaking every applicant must accept."))
    organiser = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="award_programmes",
        help_text=_("Its administrators run qualification review, expert review and determination."),
    )
    recommending_units = ParentalManyToManyField(
        "registry.Organisation", verbose_name=_("recommending units"), blank=True, related_name="+"
    )
    uses_recommendation = models.BooleanField(_("recommending unit's opinion stage"), default=True)
    uses_expert_review = models.BooleanField(_("expert review stage"), default=True)
    results_published = models.BooleanField(_("results published"), default=False)

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("first_data_year"), FieldPanel("last_data_year")]),
        FieldPanel("pledge"),
        InlinePanel("material_templates", label=_("material templates")),
        MultiFieldPanel(
            [
                FieldPanel("organiser"),
                FieldPanel("recommending_units"),
                FieldPanel("uses_recommendation"),
                FieldPanel("uses_expert_review"),
                InlinePanel("criteria", label=_("scoring criteria")),
                FieldPanel("results_published"),
            ],
            heading=_("Review"),
        ),
    ]
    parent_page_types = ["awards.AwardIndexPage"]
    subpage_types = []
    template = "awards/award_programme_page.html"
    base_form_class = ProgrammeForm

    class Meta:
        verbose_name = _("award programme")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing time must follow the opening time.")})
        if self.first_data_year and self.last_data_year and self.last_data_year < self.first_data_year:
            raise ValidationError({"last_data_year": _("The last year cannot precede the first year.")})

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    @property
    def data_years(self):
        return list(range(self.first_data_year, self.last_data_year + 1))

    def get_context(self, request, *args, **kwargs):
        from .applications import Application

        context = super().get_context(request, *args, **kwargs)
        if self.results_published:
            # The names as submitted: editing the filing or project after the award changes nothing here.
            context["awarded"] = (
                Application.unscoped.filter(programme=self, state=Application.State.AWARDED)
                .only("submitted_organisation", "submitted_project")
                .order_by("submitted_organisation", "pk")
            )
        return context


class MaterialTemplate(Orderable):
    """A document applicants download to write their material (e.g. 总结材料编写说明)."""

    page = ParentalKey(AwardProgrammePage, on_delete=models.CASCADE, related_name="material_templates")
    title = models.CharField(_("title"), max_length=200)
    document = models.ForeignKey("wagtaildocs.Document", verbose_name=_("document"), on_delete=models.PROTECT)

    panels = [FieldPanel("title"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("material template")


class ScoringCriterion(Orderable):
    """One line of the expert score sheet."""

    page = ParentalKey(AwardProgrammePage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))

    panels = [FieldPanel("name"), FieldPanel("max_score")]

    class Meta(Orderable.Meta):
        verbose_name = _("scoring criterion")

    def __str__(self):
        return f"{self.name}（{self.max_score}）"
