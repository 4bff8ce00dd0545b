"""Open read API of disclosed standards (django-ninja): public fields only — no ID numbers, mobiles, e-mail or
contacts. Parameters are typed (``kind`` and ``status`` enums, ``limit`` bounded); a bad value answers 400 with a
message naming the parameter. The OpenAPI document is generated from these declarations (``openapi_document``) and
rendered for people by ``standards/api_docs.html``."""

import base64
import binascii
import datetime
from enum import Enum, StrEnum

from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from registry.params import query_string

from .models import StandardKind
from .search import filter_public, narrowed
from .views import public_queryset

api = NinjaAPI(
    title="Disclosed product standards",
    version="1.0",
    description="Read-only, public data only: no ID numbers, mobiles, e-mail addresses or contact names.",
    urls_namespace="standards_api",
    openapi_url=None,  # served by openapi_document, with the project's own human-readable page instead of a CDN's
    docs_url=None,
)
router = Router()


class Status(StrEnum):
    current = "current"
    abolished = "abolished"


MAX_LIMIT = 100


class Filters(Schema):
    q: str = Field("", max_length=100, description="Enterprise name, standard name, number, product name or barcode")
    enterprise: str = Field("", max_length=100, description="Enterprise name fragment")
    number: str = Field("", max_length=64, description="Standard number, as typed (Q/HBGT 001-2024, HBGT001, 13456)")
    name: str = Field("", max_length=100, description="Standard name fragment")
    product: str = Field("", max_length=100, description="Product name fragment")
    barcode: str = Field("", pattern=r"^\s*(\d{8}|\d{12,14})?\s*$", description="Exact product barcode (GTIN)")
    region: str = Field(
        "", pattern=r"^(\d{6})?$", description="GB/T 2260 division code; a province or city code covers its subtree"
    )
    kind: StandardKind | None = Field(None, description="Kind of standard")
    status: Status | None = Field(None, description="current or abolished (default: both)")
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Page size (at most {MAX_LIMIT})")
    cursor: str = Field("", max_length=200, description="Opaque position from the `next` or `previous` link")

    def params(self):
        """The search parameters as ``search.filter_public`` reads them."""
        values = self.dict(exclude={"limit", "cursor"})
        return {key: value.value if isinstance(value, Enum) else value for key, value in values.items() if value}


class Standard(Schema):
    id: int
    url: str
    kind: StandardKind
    number: str = Field(examples=["GB/T 13456-2014"])
    name: str
    enterprise_name: str = Field(description="As at publication")
    enterprise_uscc: str
    region: str = Field(description="GB/T 2260 code")
    published_at: datetime.datetime
    abolished_at: datetime.datetime | None
    revises: int | None = Field(description="Id of the standard this one revises")


class Page(Schema):
    next: str | None
    previous: str | None
    results: list[Standard]


class Product(Schema):
    name: str
    common_name: str
    barcode: str
    brand: str
    specification: str
    model: str
    category: str = Field(description="segment / family / class")


class Indicator(Schema):
    name: str
    category: str
    requirement_type: str
    requirement: str = Field(examples=["95%(+0.100,-0.200) < 浓度 <= 99/L"])
    test_method: str
    level_note: str


class StandardDetail(Standard):
    legal_representative: str
    registered_address: str
    pledge: str
    content: str = Field(description='"", "full_text" or "indicators"')
    full_text_url: str | None
    products: list[Product]
    indicators: list[Indicator]


class Message(Schema):
    detail: str


def local(moment):
    return timezone.localtime(moment) if moment else None


def standard_row(standard):
    return {
        "id": standard.pk,
        "url": reverse("standards:api_detail", args=[standard.pk]),
        "kind": standard.kind,
        "number": standard.number,
        "name": standard.name,
        "enterprise_name": standard.enterprise_name,
        "enterprise_uscc": standard.enterprise_uscc,
        "region": standard.region_id or "",
        "published_at": local(standard.published_at),
        "abolished_at": local(standard.abolished_at),
        "revises": standard.revises_id,
    }


@router.get("standards/", response={200: Page, 400: Message}, url_name="api_list", summary="Search disclosed standards")
def standard_list(request, filters: Query[Filters]):
    """Newest published first, paged by a cursor holding the last row's (published_at, id).

    Each page is one index range scan, so the 50,000th page of several million standards costs what the first does,
    and no anonymous request makes the database count them. Ties in ``published_at`` are broken by id, so no
    standard is skipped or repeated between pages.
    """
    params = filters.params()
    records = narrowed(filter_public(public_queryset(), params), params)
    backwards, position = decode(filters.cursor)
    ordered = records.order_by("-published_at", "-id")
    if position is not None:
        published_at, pk = position
        if backwards:
            newer = Q(published_at__gt=published_at) | Q(published_at=published_at, pk__gt=pk)
            ordered = records.filter(newer).order_by("published_at", "id")
        else:
            ordered = ordered.filter(Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk))
    rows = list(ordered[: filters.limit + 1])
    more = len(rows) > filters.limit
    page = rows[: filters.limit]
    if backwards:
        page.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, position is not None
    previous = link(request, page[0], backwards=True) if has_previous and page else None
    if has_previous and previous is None:  # stepped back past the first row: the first page
        previous = link(request, None, backwards=True)
    return {
        "next": link(request, page[-1], backwards=False) if has_next and page else None,
        "previous": previous,
        "results": [standard_row(standard) for standard in page],
    }


@router.get(
    "standards/{int:pk}/",
    response={200: StandardDetail, 404: Message},
    url_name="api_detail",
    summary="One disclosed standard with its products and indicators",
)
def standard_detail(request, pk: int):
    standard = get_object_or_404(
        public_queryset().prefetch_related("products__category__parent__parent", "indicators__category"), pk=pk
    )
    return {
        **standard_row(standard),
        "legal_representative": standard.legal_representative,
        "registered_address": standard.registered_address,
        "pledge": standard.pledge,
        "content": standard.content,
        "full_text_url": reverse("standards:public_full_text", args=[standard.pk]) if standard.full_text else None,
        "products": [
            {
                "name": p.name,
                "common_name": p.common_name,
                "barcode": p.barcode,
                "brand": p.brand,
                "specification": p.specification,
                "model": p.model,
                "category": p.category.path_names(),
            }
            for p in standard.products.all()
        ],
        "indicators": [
            {
                "name": i.name,
                "category": i.category.name if i.category else "",
                "requirement_type": i.requirement_type,
                "requirement": i.requirement_display(),
                "test_method": i.test_method_display(),
                "level_note": i.level_note,
            }
            for i in standard.indicators.all()
        ],
    }


api.add_router("", router)


@api.exception_handler(NinjaValidationError)
def bad_parameter(request, error):
    """400 with one line per bad parameter, e.g. ``kind: Input should be 'national', …``."""
    lines = [f"{'.'.join(str(part) for part in e['loc'] if part != 'query')}: {e['msg']}" for e in error.errors]
    return api.create_response(request, {"detail": "; ".join(lines)}, status=400)


def decode(cursor):
    """``(backwards, (published_at, id))`` from the cursor parameter, or ``(False, None)`` for the first page."""
    if not cursor:
        return False, None
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
        direction, published_at, pk = text.split("|")
        position = (datetime.datetime.fromisoformat(published_at), int(pk))
    except (ValueError, UnicodeError, binascii.Error):
        raise HttpError(400, "cursor: invalid; use the next or previous link of a page") from None
    return direction == "p", position


def link(request, row, backwards):
    """This request's URL with the cursor after (or, backwards, before) ``row``; without a cursor for ``None``."""
    cursor = None
    if row is not None:
        text = f"{'p' if backwards else 'n'}|{row.published_at.isoformat()}|{row.pk}"
        cursor = base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii")
    encoded = query_string(request, cursor=cursor)
    return request.build_absolute_uri(request.path + (f"?{encoded}" if encoded else ""))


def schema():
    prefix = reverse("standards:api_list").removesuffix("standards/")
    return api.get_openapi_schema(path_prefix=prefix)


def openapi_document(request):
    """The OpenAPI 3 document, generated from the operations and schemas above."""
    return JsonResponse(schema(), json_dumps_params={"ensure_ascii": False})


def api_docs(request):
    """The API described for people, from the same document (no Swagger UI: it loads from a CDN)."""
    document = schema()
    components = document.get("components", {}).get("schemas", {})
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = [
                {"status": status, "description": response.get("description", ""), "schema": referenced(response)}
                for status, response in operation["responses"].items()
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [parameter_row(p, components) for p in operation.get("parameters", [])],
                    "responses": responses,
                }
            )
    schemas = [
        {
            "name": name,
            "fields": [field_row(field, spec, body, components) for field, spec in body.get("properties", {}).items()],
        }
        for name, body in components.items()
        if "properties" in body  # enums are shown where they are used
    ]
    context = {"info": document["info"], "operations": operations, "schemas": schemas}
    return TemplateResponse(request, "standards/api_docs.html", context)


def referenced(response):
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").rsplit("/", 1)[-1]


def type_of(spec, components):
    """A short type for people: ``integer``, ``string (date-time)``, ``string: a | b``, ``list of Product``."""
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return type_of(components[name], components) if "enum" in components.get(name, {}) else name
    if "anyOf" in spec:
        return " or ".join(type_of(option, components) for option in spec["anyOf"])
    if spec.get("type") == "array":
        return f"list of {type_of(spec.get('items', {}), components)}"
    kind = spec.get("type", "")
    if "enum" in spec:
        return f"{kind}: " + " | ".join(str(value) for value in spec["enum"])
    return f"{kind} ({spec['format']})" if "format" in spec else kind


def parameter_row(parameter, components):
    spec = parameter.get("schema", {})
    limits = [f"{word} {spec[key]}" for key, word in (("minimum", "≥"), ("maximum", "≤")) if key in spec]
    return {
        "name": parameter["name"],
        "where": parameter["in"],
        "required": parameter.get("required", False),
        "type": type_of(spec, components) + (f" ({', '.join(limits)})" if limits else ""),
        "default": spec.get("default", ""),
        "description": parameter.get("description", spec.get("description", "")),
    }


def field_row(name, spec, body, components):
    return {
        "name": name,
        "type": type_of(spec, components),
        "required": name in body.get("required", []),
        "description": spec.get("description", ""),
    }
