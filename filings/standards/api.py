"""Open read API of disclosed standards: public fields only — no ID numbers, mobiles, e-mail or contacts."""

from django.http import JsonResponse
from django.urls import reverse
from rest_framework import generics, serializers

from .models import DisclosedStandard, Indicator, Product
from .search import filter_public
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


class StandardList(generics.ListAPIView):
    serializer_class = StandardListSerializer

    def get_queryset(self):
        return filter_public(public_queryset(), self.request.query_params).order_by("-published_at", "-id")


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
    ("limit", "Page size (default 20)"),
    ("offset", "Offset of the first result"),
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
                                            "count": {"type": "integer"},
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
