from django.core.serializers import python

from . import TokensMixin


class Serializer(TokensMixin, python.Serializer):
    pass


Deserializer = python.Deserializer
