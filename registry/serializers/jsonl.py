from django.core.serializers import jsonl

from . import TokensMixin


class Serializer(TokensMixin, jsonl.Serializer):
    pass


Deserializer = jsonl.Deserializer
