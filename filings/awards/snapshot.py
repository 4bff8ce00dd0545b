"""Freezing an application at submission (:func:`freeze`), showing a frozen version (:class:`Dossier`) and what a
resubmission changed (:func:`changes`).

The data is display-ready JSON (names rather than foreign keys, amounts as strings, choice values whose labels
are looked up when shown), so a later edit of the organisation, the project, a region or an industry name
never alters what was submitted. Files are referenced through :class:`SubmittedFile` rows of their own.
"""

import logging
import os

from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.uploads import detect

from .models import (
    Application,
    EconomicYear,
    Honour,
    IntellectualProperty,
    OrganisationFiling,
    Project,
    Submission,
    SubmittedFile,
)

logger = logging.getLogger(__name__)

FILING_FIELDS = ("name", "economic_type", "address", "industry", "quality_head", "quality_phone", "size")
YEAR_FIELDS = ("total_assets", "revenue", "other_revenue", "profit", "tax", "employees")
PROJECT_FIELDS = ("name", "keywords", "introduction")
IP_FIELDS = (
    "kind",
    "name",
    "country",
    "granted_on",
    "certificate_number",
    "holder",
    "inventors",
    "term_years",
    "application_number",
    "patent_number",
)
HONOUR_FIELDS = ("award", "level", "awarding_body", "awarded_on", "note")
CONTACT_FIELDS = (
    "contact_department",
    "contact_person",
    "contact_post",
    "contact_mobile",
    "contact_phone",
    "contact_fax",
    "contact_email",
    "contact_postcode",
    "contact_address",
)


def _text(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _row(instance, fields):
    return {name: _text(getattr(instance, name)) for name in fields}


class _Files:
    """Collects the files of one version: an unchanged live file reuses the previous version's copy."""

    def __init__(self, submission, previous):
        self.submission = submission
        self.reuse = dict(previous.files.values_list("source", "file")) if previous else {}
        self.rows = []

    def add(self, key, fieldfile):
        if not fieldfile:
            return ""
        row = SubmittedFile(submission=self.submission, key=key, source=fieldfile.name)
        if fieldfile.name in self.reuse:
            row.file.name = self.reuse[fieldfile.name]
        else:
            with fieldfile.storage.open(fieldfile.name, "rb") as source:
                row.file.save(os.path.basename(fieldfile.name), File(source), save=False)
        self.rows.append(row)
        return key

    def save(self):
        SubmittedFile.objects.bulk_create(self.rows)
        return {row.key: row.file.name for row in self.rows}


def snapshot_data(application, files):
    """The JSON of ``application`` with its filing and project as they are now; files go through ``files``."""
    filing, project = application.filing, application.project
    region = filing.region
    filing_data = _row(filing, FILING_FIELDS)
    filing_data.update(
        province=filing.province.name,
        city=region.name,
        region=region.full_name,
        licence=files.add("licence", filing.licence_copy),
        years=[
            {"year": year.year, **_row(year, YEAR_FIELDS), "proof": files.add(f"year-{year.year}", year.proof)}
            for year in sorted(filing.economic_years.all(), key=lambda year: year.year, reverse=True)
        ],
    )
    project_data = _row(project, PROJECT_FIELDS)
    project_data.update(
        attachment=files.add("attachment", project.other_attachment),
        intellectual_property=[
            {**_row(item, IP_FIELDS), "proof": files.add(f"ip-{n}", item.proof)}
            for n, item in enumerate(project.intellectual_property.all(), 1)
        ],
        honours=[
            {**_row(honour, HONOUR_FIELDS), "proof": files.add(f"honour-{n}", honour.proof)}
            for n, honour in enumerate(project.honours.all(), 1)
        ],
    )
    summary_kind = ""
    if application.summary_material:
        with application.summary_material.open("rb") as summary:
            summary_kind = detect(summary) or ""
    application_data = _row(application, CONTACT_FIELDS)
    application_data.update(
        recommending_unit=application.recommending_unit.name if application.recommending_unit_id else "",
        pledge=application.programme.pledge,
        pledge_accepted_at=_text(application.pledge_accepted_at),
        summary=files.add("summary", application.summary_material),
        summary_kind=summary_kind,
    )
    return {"filing": filing_data, "project": project_data, "application": application_data}


def freeze(application, user):
    """Make what ``application`` submits now its new version (set on ``application``, saved by the caller);
    returns the changes since the previous version."""
    loaded = (
        Application.unscoped.select_related(
            "programme", "recommending_unit", "filing__economic_type", "filing__industry", "filing__region", "project"
        )
        .prefetch_related("filing__economic_years", "project__intellectual_property", "project__honours")
        .get(pk=application.pk)
    )
    previous = loaded.submission
    submission = Submission.objects.create(
        application=loaded, number=previous.number + 1 if previous else 1, submitted_by=user
    )
    files = _Files(submission, previous)
    data = snapshot_data(loaded, files)
    data["files"] = files.save()
    submission.data = data
    submission.save(update_fields=["data"])
    application.submission = submission
    application.submitted_organisation = data["filing"]["name"]
    application.submitted_project = data["project"]["name"]
    return changes(previous.data, data) if previous else []


# --- showing a version -----------------------------------------------------------------------------------------


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _choice(model, name, value):
    return dict(model._meta.get_field(name).flatchoices).get(value, value)


def _date(value):
    return value[:10] if value else ""


class Dossier:
    """A submitted version for templates: ``filing``, ``project``, ``application`` dicts with labels and links."""

    def __init__(self, submission, link_files=True):
        self.submission = submission
        data = submission.data
        self.number = submission.number
        self.submitted_at = submission.created_at
        urls = {}
        if link_files:
            urls = {
                key: reverse("private_file", args=["awards.submittedfile", "file", pk])
                for key, pk in submission.files.values_list("key", "pk")
            }
        self.filing = dict(data["filing"])
        self.filing["size_label"] = _choice(OrganisationFiling, "size", self.filing["size"])
        self.filing["licence_url"] = urls.get(self.filing["licence"])
        self.filing["years"] = [dict(year, proof_url=urls.get(year["proof"])) for year in self.filing["years"]]
        self.project = dict(data["project"])
        self.project["attachment_url"] = urls.get(self.project["attachment"])
        self.project["intellectual_property"] = [
            dict(
                item,
                kind_label=_choice(IntellectualProperty, "kind", item["kind"]),
                granted_on=_date(item["granted_on"]),
                proof_url=urls.get(item["proof"]),
            )
            for item in self.project["intellectual_property"]
        ]
        self.project["honours"] = [
            dict(
                honour,
                level_label=_choice(Honour, "level", honour["level"]),
                awarded_on=_date(honour["awarded_on"]),
                proof_url=urls.get(honour["proof"]),
            )
            for honour in self.project["honours"]
        ]
        self.application = dict(data["application"])
        accepted = self.application["pledge_accepted_at"]
        self.application["pledge_accepted_at"] = (
            timezone.localtime(timezone.datetime.fromisoformat(accepted)) if accepted else None
        )
        self.application["summary_url"] = urls.get(self.application["summary"])
        self.files = data.get("files", {})


# --- what a resubmission changed -------------------------------------------------------------------------------


def _flatten(data):
    """label → shown value for every comparable value of a version (files by their stored copy)."""
    flat = {}
    filing, project, application = data["filing"], data["project"], data["application"]
    for name in FILING_FIELDS:
        value = filing[name]
        flat[_label(OrganisationFiling, name)] = _choice(OrganisationFiling, name, value) if name == "size" else value
    flat[_("province / city")] = filing["region"]
    for year in filing["years"]:
        for name in YEAR_FIELDS:
            flat[f"{year['year']} {_label(EconomicYear, name)}"] = year[name]
    for name in PROJECT_FIELDS:
        flat[_label(Project, name)] = project[name]
    for n, item in enumerate(project["intellectual_property"], 1):
        for name in IP_FIELDS:
            value = _choice(IntellectualProperty, name, item[name]) if name == "kind" else item[name]
            flat[f"{_('intellectual property')} {n} · {_label(IntellectualProperty, name)}"] = value
    for n, honour in enumerate(project["honours"], 1):
        for name in HONOUR_FIELDS:
            value = _choice(Honour, name, honour[name]) if name == "level" else honour[name]
            flat[f"{_('honour')} {n} · {_label(Honour, name)}"] = value
    for name in CONTACT_FIELDS:
        flat[_label(Application, name)] = application[name]
    flat[_label(Application, "recommending_unit")] = application["recommending_unit"]
    return flat


def file_label(key):
    """What a submitted file is, for the review log ("licence", "year-2024", "ip-2", ...)."""
    kind, _sep, n = key.partition("-")
    if kind == "licence":
        return _label(OrganisationFiling, "licence_copy")
    if kind == "year":
        return f"{n} {_label(EconomicYear, 'proof')}"
    if kind == "attachment":
        return _label(Project, "other_attachment")
    if kind == "ip":
        return f"{_('intellectual property')} {n} · {_label(IntellectualProperty, 'proof')}"
    if kind == "honour":
        return f"{_('honour')} {n} · {_label(Honour, 'proof')}"
    return _label(Application, "summary_material")


def changes(before, after):
    """[label, before, after] for each value that differs between two versions' data, in display order."""
    old, new = _flatten(before), _flatten(after)
    rows = [
        [label, old.get(label, ""), new.get(label, "")]
        for label in list(new) + [label for label in old if label not in new]
        if old.get(label, "") != new.get(label, "")
    ]
    old_files, new_files = before.get("files", {}), after.get("files", {})
    for key in list(new_files) + [key for key in old_files if key not in new_files]:
        if old_files.get(key) != new_files.get(key):
            rows.append(
                [
                    file_label(key),
                    _("earlier file") if key in old_files else "",
                    _("new file") if key in new_files else _("removed"),
                ]
            )
    return rows


def freeze_left_unfrozen(sender, plan=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """Freeze, as they are now (the best record left), the applications submitted before versions existed: a
    post_migrate receiver that waits for every migration to be applied, since ``freeze`` reads the code's models."""
    if not plan:
        return  # nothing migrated (a flush, or nothing pending)
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return  # migrated to an earlier point: the migrate that completes the schema freezes them
    pending = Application.unscoped.using(using).exclude(state=Application.State.DRAFT).filter(submission=None)
    for application in pending.iterator():
        # One application at a time, never failing migrate: one that cannot be frozen (a file missing from a copy
        # of the site) leaves nothing behind, is logged, and is tried again by the next migrate.
        try:
            with transaction.atomic(using=using):
                freeze(application, None)
                Application.unscoped.using(using).filter(pk=application.pk).update(
                    submission=application.submission,
                    submitted_organisation=application.submitted_organisation,
                    submitted_project=application.submitted_project,
                )
        except Exception:
            logger.exception("Application %s could not be frozen; the next migrate tries again", application.pk)
