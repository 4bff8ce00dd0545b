"""Open read API of disclosed standards: public fields only — no ID numbers, mobiles, e-mail or contacts."""

import base64
import binascii
import datetime

from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .models import DisclosedStandard, Indicator, Product
from .search import filter_public, narrowed
from .views import public_queryset


class ProductSerializer(serializers.ModelSerializer):
    category = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["name", "common_name", "barcode", "brand", "specification", "model", "category"]

    def get_category(self, product):
        return product.category.path_names()


class IndicatorSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", default="")
    requirement = serializers.CharField(source="requirement_display")
    test_method = serializers.CharField(source="test_method_display")

    class Meta:
        model = Indicator
        fields = ["name", "category", "requirement_type", "requirement", "test_method", "level_note"]


#: Whitelisted fields: the enterprise as published (name, USCC, legal representative, address), never people.
LIST_FIELDS = [
    "id",
    "url",
    "kind",
    "number",
    "name",
    "enterprise_name",
    "enterprise_uscc",
    "region",
    "published_at",
    "abolished_at",
    "revises",
]


class StandardListSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    region = serializers.CharField(source="region_id", default="")

    class Meta:
        model = DisclosedStandard
        fields = LIST_FIELDS

    def get_url(self, standard):
        return reverse("standards:api_detail", args=[standard.pk])


class StandardDetailSerializer(StandardListSerializer):
    products = ProductSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    full_text_url = serializers.SerializerMethodField()

    class Meta:
        model = DisclosedStandard
        fields = [
            *LIST_FIELDS,
            "legal_representative",
            "registered_address",
            "pledge",
            "content",
            "full_text_url",
            "products",
            "indicators",
        ]

    def get_full_text_url(self, standard):
        return reverse("standards:public_full_text", args=[standard.pk]) if standard.full_text else None


class StandardCursorPagination(BasePagination):
    """Newest published first, paged by a cursor holding the last row's (published_at, id).

    Each page is one index range scan, so the 50,000th page of several million standards costs what the first does,
    and no anonymous request makes the database count them (limit/offset did both). Ties in ``published_at`` are
    broken by id, so no standard is skipped or repeated between pages.
    """

    page_size = 20
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.page_size_from(request.query_params.get("limit"))
        self.backwards, position = self.decode(request.query_params.get("cursor"))
        ordered = queryset.order_by("-published_at", "-id")
        if position is not None:
            published_at, pk = position
            if self.backwards:
                newer = Q(published_at__gt=published_at) | Q(published_at=published_at, pk__gt=pk)
                ordered = queryset.filter(newer).order_by("published_at", "id")
            else:
                ordered = ordered.filter(Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk))
        rows = list(ordered[: self.limit + 1])
        more = len(rows) > self.limit
        self.page = rows[: self.limit]
        if self.backwards:
            self.page.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, position is not None
        return self.page

    def page_size_from(self, value):
        try:
            return min(max(int(value), 1), self.max_page_size)
        except (TypeError, ValueError):
            return self.page_size

    @staticmethod
    def decode(cursor):
        """``(backwards, (published_at, id))`` from the cursor parameter, or ``(False, None)`` for the first page."""
        if not cursor:
            return False, None
        try:
            text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
            direction, published_at, pk = text.split("|")
            position = (datetime.datetime.fromisoformat(published_at), int(pk))
        except (ValueError, UnicodeError, binascii.Error):
            raise NotFound("无效的分页游标 / Invalid cursor: use the next or previous link of a page.") from None
        return direction == "p", position

    def link(self, row, backwards):
        if row is None:
            return None
        text = f"{'p' if backwards else 'n'}|{row.published_at.isoformat()}|{row.pk}"
        cursor = base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii")
        return replace_query_param(self.request.build_absolute_uri(), "cursor", cursor)

    def get_paginated_response(self, data):
        first, last = (self.page[0], self.page[-1]) if self.page else (None, None)
        previous = self.link(first, backwards=True) if self.has_previous else None
        if self.has_previous and previous is None:  # stepped back past the first row: the first page
            previous = remove_query_param(self.request.build_absolute_uri(), "cursor")
        return Response(
            {
                "next": self.link(last, backwards=False) if self.has_next else None,
                "previous": previous,
                "results": data,
            }
        )


class StandardList(generics.ListAPIView):
    serializer_class = StandardListSerializer
    pagination_class = StandardCursorPagination

    def get_queryset(self):
        params = self.request.query_params
        return narrowed(filter_public(public_queryset(), params), params)


class StandardDetail(generics.RetrieveAPIView):
    serializer_class = StandardDetailSerializer

    def get_queryset(self):
        return public_queryset().prefetch_related("products__category__parent__parent", "indicators__category")


FILTER_PARAMETERS = [
    ("q", "Enterprise name, standard name, number digits, product name or barcode"),
    ("enterprise", "Enterprise name fragment"),
    ("number", "Standard number (digits are matched)"),
    ("name", "Standard name fragment"),
    ("product", "Product name fragment"),
    ("barcode", "Exact product barcode (GTIN)"),
    ("region", "GB/T 2260 division code; a province or city code covers its subtree"),
    ("kind", "national | industry | local | enterprise"),
    ("status", "current | abolished"),
    ("limit", "Page size (default 20, at most 100)"),
    ("cursor", "Opaque position taken from the `next` or `previous` link of a page"),
]


def openapi_document(request):
    """OpenAPI 3.0 description of the read API, written by hand to describe exactly what is served."""
    parameters = [
        {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": "string"}}
        for name, text in FILTER_PARAMETERS
    ]
    standard = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string"},
            "kind": {"type": "string", "enum": ["national", "industry", "local", "enterprise"]},
            "number": {"type": "string", "example": "GB/T 13456-2014"},
            "name": {"type": "string"},
            "enterprise_name": {"type": "string", "description": "As at publication"},
            "enterprise_uscc": {"type": "string"},
            "region": {"type": "string", "description": "GB/T 2260 code"},
            "published_at": {"type": "string", "format": "date-time"},
            "abolished_at": {"type": "string", "format": "date-time", "nullable": True},
            "revises": {"type": "integer", "nullable": True},
        },
    }
    detail = {
        "allOf": [
            {"$ref": "#/components/schemas/Standard"},
            {
                "type": "object",
                "properties": {
                    "legal_representative": {"type": "string"},
                    "registered_address": {"type": "string"},
                    "pledge": {"type": "string"},
                    "content": {"type": "string", "enum": ["", "full_text", "indicators"]},
                    "full_text_url": {"type": "string", "nullable": True},
                    "products": {"type": "array", "items": {"$ref": "#/components/schemas/Product"}},
                    "indicators": {"type": "array", "items": {"$ref": "#/components/schemas/Indicator"}},
                },
            },
        ]
    }
    strings = lambda *names: {"type": "object", "properties": {n: {"type": "string"} for n in names}}  # noqa: E731
    document = {
        "openapi": "3.0.3",
        "info": {
            "title": "企业产品标准自我声明公开 / Disclosed product standards",
            "version": "1.0",
            "description": "Read-only, public data only: no ID numbers, mobiles, e-mail addresses or contact names.",
        },
        "paths": {
            reverse("standards:api_list"): {
                "get": {
                    "summary": "Search disclosed standards",
                    "parameters": parameters,
                    "responses": {
                        "200": {
                            "description": "A page of disclosed standards",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "next": {"type": "string", "nullable": True},
                                            "previous": {"type": "string", "nullable": True},
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Standard"},
                                            },
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            reverse("standards:api_list") + "{id}/": {
                "get": {
                    "summary": "One disclosed standard with its products and indicators",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "The standard",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/StandardDetail"}}
                            },
                        },
                        "404": {"description": "No such published standard"},
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Standard": standard,
                "StandardDetail": detail,
                "Product": strings("name", "common_name", "barcode", "brand", "specification", "model", "category"),
                "Indicator": strings(
                    "name", "category", "requirement_type", "requirement", "test_method", "level_note"
                ),
            }
        },
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
