from django.core.serializers import json

from . import TokensMixin


class Serializer(TokensMixin, json.Serializer):
    pass


Deserializer = json.Deserializer
