"""Disclosure views: the enterprise's own standards, and the public search, detail, print and PDF."""

from functools import lru_cache
from html import escape
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.log_actions import log

from registry.files import file_response
from registry.pagination import PUBLIC_MAX_PAGES
from registry.params import query_choice, query_page, query_text
from registry.policies import permitted
from registry.portal import enterprise_required
from registry.provinces import province_options, provinces
from registry.reports import ABOLISH_ACTION
from registry.rows import row_format

from . import kept_uploads, services
from .forms import IndicatorFormSet, ProductFormSet, StandardForm
from .models import (
    CatalogueStandard,
    DisclosedStandard,
    EnterpriseProfile,
    IndicatorCategory,
    Product,
    ProductCategory,
    StandardKind,
)
from .models.disclosures import pledge_text
from .search import TEXT_FILTERS, filter_own, filter_public, newest_page, search_filters

# --- enterprise side -------------------------------------------------------------------------------


def own_standards(request):
    """The account's own disclosures, as the scope policy gives them; what it may do to one is the view's to say."""
    return permitted(request.user, DisclosedStandard)


def own_standard(request, pk):
    return get_object_or_404(own_standards(request), pk=pk)


@enterprise_required
def own_list(request):
    """Published and unpublished standards of one kind, with search and reset (seed 002 §5.7)."""
    filters = search_filters(request)
    kind = filters["kind"] or StandardKind.ENTERPRISE
    records = filter_own(own_standards(request).filter(kind=kind), filters).prefetch_related("products")
    now = timezone.now()
    context = {
        "kind": kind,
        "kind_label": StandardKind(kind).label,
        "kinds": StandardKind.choices,
        "published": [s for s in records if s.is_published],
        "drafts": [s for s in records if not s.is_published],
        "filters": filters,  # not "query": base.html fills the site search box with that
        "now": now,
    }
    return TemplateResponse(request, "standards/own_list.html", context)


def editor(request, standard, kind, mode):
    """The one form behind new, modify, revise and associate (mode decides what is locked).

    National standards come from the catalogue and disclose no content, and neither does a record when
    products are associated: their indicator formset is left unbound, so a post never needs its management form.
    """
    enterprise = request.user.enterprise
    locked = mode in ("revise", "associate")
    post = request.POST if request.method == "POST" else None
    files = kept_uploads.restore(request.POST, request.FILES, request.user.pk) if post is not None else None
    form = StandardForm(post, files, instance=standard, kind=kind, enterprise=enterprise, locked=locked)
    if mode == "associate":
        for field in form.fields.values():
            field.disabled = True
        form.fields["pledge_accepted"].disabled = False
    products = ProductFormSet(post, files, instance=standard, prefix="products")
    if mode == "associate":
        products.queryset = Product.objects.none()
    discloses = mode != "associate" and kind != StandardKind.NATIONAL
    bound = (post, files) if discloses else (None, None)
    indicators = IndicatorFormSet(*bound, instance=standard, prefix="indicators", enterprise=enterprise)
    action = request.POST.get("action", "save") if post is not None else None
    failed = False
    if post is not None:
        if mode == "associate" or standard.is_published:
            action = "submit"  # a published record can only be submitted again (seed 002 §5.4.1)
        saved = save_disclosure(request, form, products, indicators, action, mode)
        if saved is not None:
            kept_uploads.discard(files)
            if action == "submit":
                messages.success(request, _("Submitted and published"))
                return redirect(f"{reverse('standards:own_list')}?kind={kind}")
            messages.success(request, _("Saved; not published yet"))
            return redirect("standards:edit", pk=saved.pk)
        failed = True
        kept_uploads.keep_uploads([form, *(indicators.forms if indicators.is_bound else [])], request.user.pk)
    profile = EnterpriseProfile.for_user(request.user)
    context = {
        "form": form,
        "products": products,
        "indicators": indicators,
        "discloses": discloses,
        "failed": failed,
        "standard": standard,
        "kind": kind,
        "kind_label": StandardKind(kind).label,
        "mode": mode,
        "existing_products": standard.products.all() if standard.pk else [],
        "pledge_template": pledge_text(kind, profile.enterprise_name, "{number}", "{name}"),
        "pledge_preview": pledge_text(kind, profile.enterprise_name, standard.number or "", standard.name or ""),
        "indicator_categories": IndicatorCategory.objects.filter(Q(enterprise=None) | Q(enterprise=enterprise)),
        "can_save": mode in ("new", "modify") and not standard.is_published,
    }
    return TemplateResponse(request, "standards/editor.html", context)


def save_disclosure(request, form, products, indicators, action, mode):
    """Validate the whole disclosure (seed 002 §4.2, FAQ 24/25) and save or publish it; None on errors.

    Every part is validated (no short circuit) so all errors show at once; the indicators only when the
    record discloses them (a standard picked from the catalogue does not).
    """
    valid = form.is_valid() & products.is_valid()
    uses_indicators = indicators.is_bound and not form.instance.catalogue_entry_id
    if uses_indicators:
        valid &= indicators.is_valid()
    if not valid:
        return None
    standard = form.instance
    live_products = products.live_forms()
    if mode == "associate":
        if not live_products:
            form.add_error(None, _("Add at least one product"))
            return None
    else:
        if not content_is_valid(form, indicators):
            return None
        kept = standard.products.count() if standard.pk else 0
        removed = sum(1 for f in products.deleted_forms if f.instance.pk)
        if action == "submit" and kept - removed + len([f for f in live_products if not f.instance.pk]) < 1:
            form.add_error(None, _("Add at least one product"))
            return None
        duplicate = standard.duplicate()
        if duplicate is not None:
            link = reverse("standards:view", args=[duplicate.pk])
            form.add_error(None, format_html(_('This standard already exists: <a href="{}">{}</a>'), link, duplicate))
            return None
    if action == "submit" and not form.cleaned_data.get("pledge_accepted"):
        form.add_error("pledge_accepted", _("Tick the pledge before submitting"))
        return None
    with transaction.atomic():
        if standard.pk is None:
            standard.created_by = request.user
        if standard.content != DisclosedStandard.Content.FULL_TEXT and standard.full_text:
            standard.full_text = None
        standard.save()
        products.instance = standard
        products.save()
        if mode != "associate":
            if uses_indicators and standard.content == DisclosedStandard.Content.INDICATORS:
                indicators.instance = standard
                indicators.save()
            else:
                standard.indicators.all().delete()
        standard.refresh_product_copies()
        if action == "submit":
            services.publish(standard, request.user)
    return standard


def content_is_valid(form, indicators):
    """Full text or indicators, never both; enterprise standards must disclose one of them."""
    standard = form.instance
    if standard.catalogue_entry_id:
        return True
    content = form.cleaned_data.get("content") or ""
    live_indicators = indicators.live_forms()
    kept = [f for f in indicators.forms if f.instance.pk and f not in indicators.deleted_forms]
    has_file = bool(form.cleaned_data.get("full_text") or (standard.pk and standard.full_text))
    has_indicators = bool(live_indicators or kept)
    if content == DisclosedStandard.Content.FULL_TEXT:
        if has_indicators and live_indicators:
            form.add_error("content", _("Disclose the full text or indicators, not both"))
        elif not form.cleaned_data.get("full_text") and not (standard.pk and standard.full_text):
            form.add_error("full_text", _("Upload the full text (PDF)"))
    elif content == DisclosedStandard.Content.INDICATORS:
        if form.cleaned_data.get("full_text") and form.files:
            form.add_error("content", _("Disclose the full text or indicators, not both"))
        elif not has_indicators:
            form.add_error(None, _("Add at least one technical indicator"))
    elif standard.kind == StandardKind.ENTERPRISE:
        form.add_error("content", _("Choose the full text or indicators"))
    elif has_file or live_indicators:
        form.add_error("content", _("Choose which content you disclose"))
    return not form.errors


@enterprise_required
def new(request, kind):
    if kind not in StandardKind.values:
        raise Http404
    standard = DisclosedStandard(enterprise=request.user.enterprise, kind=kind)
    return editor(request, standard, kind, "new")


@enterprise_required
def edit(request, pk):
    """Modify: drafts any time, published records within 24 hours (seed 002 §5.4)."""
    standard = own_standard(request, pk)
    if not standard.can_modify():
        messages.error(request, _("Past 24 hours: revise or abolish instead"))
        return redirect(f"{reverse('standards:own_list')}?kind={standard.kind}")
    return editor(request, standard, standard.kind, "modify")


@enterprise_required
def associate(request, pk):
    """Add products to a published record; the record stays the same (seed 002 §5.2)."""
    standard = own_standard(request, pk)
    if not standard.can_associate():
        raise Http404
    return editor(request, standard, standard.kind, "associate")


@enterprise_required
@require_POST
def revise(request, pk):
    """Start a revision: a copy with number and name locked, linked to the record it revises."""
    original = own_standard(request, pk)
    if not original.can_revise():
        messages.error(request, _("Only enterprise standards past 24 hours can be revised"))
        return redirect(f"{reverse('standards:own_list')}?kind={original.kind}")
    existing = original.revisions.filter(status=DisclosedStandard.Status.DRAFT).first()
    if existing is not None:
        return redirect("standards:revise_edit", pk=existing.pk)
    with transaction.atomic():
        revision = DisclosedStandard.unscoped.get(pk=original.pk)
        revision.pk = revision.id = None
        revision._state.adding = True
        revision.status = DisclosedStandard.Status.DRAFT
        revision.published_at = revision.reminder_sent_at = revision.continued_at = None
        revision.revises = original
        revision.created_by = request.user
        revision.save()
        for product in original.products.all():
            product.pk = None
            product.standard = revision
            product.save()
        for indicator in original.indicators.all():
            indicator.pk = None
            indicator.standard = revision
            indicator.save()
        revision.refresh_product_copies()
    return redirect("standards:revise_edit", pk=revision.pk)


@enterprise_required
def revise_edit(request, pk):
    standard = own_standard(request, pk)
    if standard.revises_id is None or standard.is_published:
        raise Http404
    return editor(request, standard, standard.kind, "revise")


@enterprise_required
@require_POST
def abolish(request, pk):
    standard = own_standard(request, pk)
    if not standard.can_abolish():
        raise Http404
    standard.abolished_at = timezone.now()
    standard.save(update_fields=["abolished_at", "updated_at"])
    log(standard, ABOLISH_ACTION, user=request.user)
    messages.success(request, _("The standard has been abolished"))
    return redirect(f"{reverse('standards:own_list')}?kind={standard.kind}")


@enterprise_required
@require_POST
def delete(request, pk):
    """Only unpublished records can be deleted (seed 002 §5.6, FAQ 29)."""
    standard = own_standard(request, pk)
    if not standard.can_delete():
        messages.error(request, _("Published standards cannot be deleted, only abolished"))
        return redirect(f"{reverse('standards:own_list')}?kind={standard.kind}")
    kind = standard.kind
    log(standard, "wagtail.delete", user=request.user)
    standard.delete()
    messages.success(request, _("Deleted"))
    return redirect(f"{reverse('standards:own_list')}?kind={kind}")


@enterprise_required
@require_POST
def continue_use(request, pk):
    """Answer the two-year reminder with "continue"."""
    standard = own_standard(request, pk)
    if standard.reminder_due:
        standard.continued_at = timezone.now()
        standard.save(update_fields=["continued_at", "updated_at"])
        messages.success(request, _("Confirmed as still in use"))
    return redirect(f"{reverse('standards:own_list')}?kind={standard.kind}")


@enterprise_required
def own_view(request, pk):
    standard = get_object_or_404(with_region_name(own_standards(request)), pk=pk)
    return TemplateResponse(request, "standards/detail.html", disclosure_context(standard, own=True))


@enterprise_required
@require_GET
def catalogue_search(request):
    """Catalogue entries of ``kind`` whose number digits contain ``q`` (seed 002 FAQ 18)."""
    entries = CatalogueStandard.objects.all()
    kind = query_choice(request, "kind", StandardKind.values)
    if kind:
        entries = entries.filter(kind=kind)
    q = query_text(request, "q")
    digits = "".join(c for c in q if c.isdigit())
    if digits:
        entries = entries.filter(number_digits__contains=digits)
    elif q:
        entries = entries.filter(name__icontains=q)
    return JsonResponse({"results": [{"number": e.number, "name": e.name} for e in entries[:20]]})


# --- public side ---------------------------------------------------------------------------------

PAGE_SIZE = 20


#: What a result row shows: the list query leaves the long pledge and search columns behind.
LISTED_FIELDS = ["id", "number", "name", "enterprise_name", "kind", "published_at", "abolished_at"]


def public_queryset():
    return DisclosedStandard.unscoped.published().select_related("region")


def public_search(request):
    """Search of disclosed standards by enterprise, number, name, product, barcode, region and kind.

    The list not searched by words (all standards, a province's, a kind's or a status's) is the same for every
    visitor: the template keeps it under the page cache's generation (``{% publicfragment %}``), so a first visit
    to it reads no rows. A search by words, numbers or a barcode, a region the form does not offer or two choices
    at once are read each time.
    """
    filters = search_filters(request)
    records = filter_public(DisclosedStandard.unscoped.published(), filters)
    # Numbered pages stop at PUBLIC_MAX_PAGES (a deeper number answers the last one): no OFFSET of a million rows.
    page_number = query_page(request, PUBLIC_MAX_PAGES)
    offset = (page_number - 1) * PAGE_SIZE

    def listed():
        """Read only when the list is rendered: not when its fragment is kept."""
        page = newest_page(records, filters, offset, PAGE_SIZE + 1, LISTED_FIELDS)
        if page is None:  # no text filter, or a broad one: the publication-date index
            return list(
                records.values(*LISTED_FIELDS).order_by("-published_at", "-id")[offset : offset + PAGE_SIZE + 1]
            )
        return page

    page = SimpleLazyObject(listed)
    results = SimpleLazyObject(lambda: page[:PAGE_SIZE])
    region = filters["region"]
    searched = any(filters[name] for name in (*TEXT_FILTERS, "barcode"))
    # One choice at most (a province, a kind or a status): each combination kept would multiply the entries.
    chosen_once = sum(bool(filters[name]) for name in ("region", "kind", "status")) <= 1
    shared = not searched and chosen_once and (not region or region in dict(provinces()))
    # The links carry the filters the search reads, never what else a visitor's URL held: a kept list is shown to all.
    chosen = {name: value for name, value in filters.items() if value}
    context = {
        "results": results,
        "result_rows": lambda: result_rows(results),
        "has_next": SimpleLazyObject(lambda: len(page) > PAGE_SIZE and page_number < PUBLIC_MAX_PAGES),
        "capped": SimpleLazyObject(lambda: len(page) > PAGE_SIZE and page_number == PUBLIC_MAX_PAGES),
        "previous_query": urlencode({**chosen, "page": page_number - 1}),
        "next_query": urlencode({**chosen, "page": page_number + 1}),
        "max_pages": PUBLIC_MAX_PAGES,
        "page_number": page_number,
        # Plain strings: a missing key looked up on the QueryDict in the template raises and catches three times.
        "q": filters["q"],
        "province_options": province_options(region),
        "kind_options": kind_options(get_language(), filters["kind"]),
        "list_fragment": "standards list" if shared else None,
        "list_key": (region, filters["kind"], filters["status"], page_number),
    }
    return TemplateResponse(request, "standards/public_search.html", context)


def result_rows(rows):
    """The results table's rows (template ``standards/result_row.html``), rendered in one pass.

    The search page is rendered for every new query (the page cache cannot help), and the template engine took
    five times as long as filling the row template's format string (:func:`row_formats`). Every text cell is
    escaped (``html.escape``, as Django's ``escape``); the link and date are built from an integer and a date.
    """
    formats = row_formats(get_language(), get_script_prefix())
    head, tail = detail_link_parts(get_script_prefix())
    labels = kind_labels(get_language())
    lines = []
    for row in rows:
        published = timezone.localtime(row["published_at"]).date().isoformat() if row["published_at"] else ""
        values = (
            f"{head}{int(row['id'])}{tail}",
            escape(row["number"]),
            escape(row["name"]),
            escape(row["enterprise_name"]),
            labels[row["kind"]],
            published,
        )
        pattern, in_template_order = formats[row["abolished_at"] is not None]
        lines.append(pattern % in_template_order(values))
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped or built from numbers


ROW_VALUES = ("url", "number", "name", "enterprise_name", "kind", "published")


@lru_cache(maxsize=8)
def row_formats(language, script_prefix):
    """The result row template per value of ``abolished``, rendered once per language (and script prefix) with a
    marker for each of ``ROW_VALUES``: a ``%``-format and the getter putting a row's values in template order."""
    return {
        abolished: row_format("standards/result_row.html", ROW_VALUES, abolished=abolished)
        for abolished in (False, True)
    }


@lru_cache(maxsize=8)
def detail_link_parts(script_prefix):
    """The detail page's URL around its number, reversed once per process (and script prefix)."""
    return tuple(reverse("standards:public_detail", args=[0]).rsplit("0", 1))


@lru_cache(maxsize=8)
def kind_labels(language):
    """Escaped kind labels in ``language`` (the active one: the labels are lazy translations)."""
    return {value: escape(str(label)) for value, label in StandardKind.choices}


@lru_cache(maxsize=32)
def kind_options(language, selected):
    """The kind ``<option>``s, rendered once per language and selection (the template loop took 60 µs)."""
    return render_to_string("registry/options.html", {"choices": StandardKind.choices, "selected": selected})


def public_standard(pk):
    """One published standard, read by primary key (a draft is as missing as an unknown number)."""
    standard = get_object_or_404(with_region_name(DisclosedStandard.unscoped), pk=pk)
    if not standard.is_published:
        raise Http404
    return standard


def with_region_name(records):
    """The region's name as one joined column: cheaper than ``select_related`` building a Division per row."""
    return records.annotate(region_name=F("region__name"))


def disclosure_context(standard, **extra):
    """The standard with its products and, when they are the disclosed content, its indicators.

    Products come from the copy on the standard's row, their category paths from the cached reference table:
    the detail page reads one row.
    """
    products = [dict(row) for row in standard.product_rows]
    paths = ProductCategory.paths(row["category_id"] for row in products)
    for row in products:
        row["category_path"] = paths.get(row["category_id"], "")
    indicators = []
    if standard.content == DisclosedStandard.Content.INDICATORS:
        indicators = standard.indicators.select_related("category", "test_method_standard")
    return {"standard": standard, "products": products, "indicators": indicators, **extra}


def public_detail(request, pk):
    return TemplateResponse(request, "standards/detail.html", disclosure_context(public_standard(pk)))


def public_print(request, pk):
    return TemplateResponse(request, "standards/print.html", disclosure_context(public_standard(pk)))


def public_pdf(request, pk):
    from weasyprint import HTML

    html = render_to_string("standards/print.html", disclosure_context(public_standard(pk), pdf=True), request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="standard-{pk}.pdf"'
    return response


def public_full_text(request, pk):
    standard = public_standard(pk)
    if not standard.full_text:
        raise Http404
    return file_response(standard.full_text, standard.number_key.replace("/", "_"))
