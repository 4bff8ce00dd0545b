"""``dumpdata`` and ``loaddata`` formats (``settings.SERIALIZATION_MODULES``) whose files hold each encrypted value as
its token (``registry.crypto``): Django's own formats write a value of a protected type as it is, and a date of
birth is a date."""

from ..crypto import ENCRYPTED_FIELDS


class TokensMixin:
    def _value_from_field(self, obj, field):
        if isinstance(field, ENCRYPTED_FIELDS) and field.value_from_object(obj) is not None:
            return field.value_to_string(obj)
        return super()._value_from_field(obj, field)
