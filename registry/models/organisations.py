"""The organisation tree: platform operator → national bureau → provinces → cities → counties."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from ..contributions import function_choices, function_label


class FunctionMissing(Exception):
    """No organisation holds a function a flow needs: a platform administrator must choose one."""

    def __init__(self, function):
        self.function = function
        super().__init__(
            _(
                "No organisation is set as “%(function)s”. A platform administrator sets it on that organisation's "
                "edit form (Organisations → edit → Function)."
            )
            % {"function": function_label(function)}
        )


class OrganisationManager(MP_NodeManager):
    def with_function(self, function):
        """The organisation doing ``function`` (never looked up by name: names change in the admin)."""
        organisation = self.holding(function)
        if organisation is None:
            raise FunctionMissing(function)
        return organisation

    def holding(self, function):
        """The organisation doing ``function``, or ``None``: for checks that simply fail without one."""
        return self.filter(function=function).first()


class Organisation(MP_Node):
    """A unit that owns administrators and records; its subtree is what its administrators may reach."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("Platform operator")
        BUREAU = "bureau", _("Market regulation bureau")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other body")

    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BUREAU)
    division = models.OneToOneField(
        "registry.Division",
        verbose_name=_("administrative division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisation",
        help_text=_("The region a market regulation bureau is responsible for."),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    function = models.CharField(
        _("function"),
        max_length=32,
        choices=function_choices,
        blank=True,
        help_text=_("A job this organisation does for the whole platform; each is done by one organisation."),
    )

    #: The core's own functions; the apps add theirs (registry.contributions.add_function).
    PLATFORM_OPERATOR = "platform_operator"
    NATIONAL_BUREAU = "national_bureau"

    objects = OrganisationManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["function"],
                condition=~models.Q(function=""),
                name="registry_one_organisation_per_function",
                violation_error_message=_("Another organisation already has this function."),
            )
        ]

    def __str__(self):
        return self.name

    @classmethod
    def path_labels(cls, units):
        """``{pk: "河北省 / 石家庄市 / 桥西区市场监督管理局"}`` for ``units`` (load them with their ``division``).

        Two units of one name are told apart by where they sit. Ancestors are named by their region where they
        have one; the root and the units above the regions (the national bureau) are left out. The ancestors
        come from the units' paths, in one query for those not among ``units``: no walk up the tree per unit.
        """
        return cls.row_labels(
            (unit.pk, unit.path, unit.name, unit.division.name if unit.division_id else None) for unit in units
        )

    @classmethod
    def row_labels(cls, rows):
        """:meth:`path_labels` for ``(pk, path, name, region name or None)`` rows, e.g. from ``values_list(...,
        "division__name")``: a long option list need not build a model instance per unit."""
        rows = list(rows)
        step = cls.steplen
        known = {path: (name, region or "") for _pk, path, name, region in rows}
        wanted = {path[:end] for _pk, path, _name, _region in rows for end in range(2 * step, len(path), step)}
        if missing := wanted - known.keys():
            ancestors = cls.objects.filter(path__in=missing).values_list("path", "name", "division__name")
            known.update((path, (name, region or "")) for path, name, region in ancestors)
        labels = {}
        for pk, path, name, region in rows:
            chain = [known[path[:end]] for end in range(2 * step, len(path), step)]
            # The regions start at the first ancestor (or the unit) that has one; what lies above them is left out.
            starts = [i for i, (_name, ancestor_region) in enumerate(chain) if ancestor_region]
            first = starts[0] if starts else (len(chain) if region is not None else 0)
            parts = [ancestor_region or ancestor for ancestor, ancestor_region in chain[first:]]
            labels[pk] = " / ".join([*parts, name])
        return labels

    @property
    def path_label(self):
        """This unit's :meth:`path_labels` label."""
        return self.path_labels([self])[self.pk]

    def is_within(self, other):
        """Whether this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    def deletion_blockers(self):
        """Human-readable counts of what in this subtree prevents deletion (empty when it may go)."""
        from django.apps import apps

        from ..scoping import ScopedModelMixin

        subtree = Organisation.get_tree(self)
        blockers = []
        administrators = apps.get_model("registry", "User").objects.filter(organisation__in=subtree).count()
        if administrators:
            blockers.append(_("%(count)d administrator(s)") % {"count": administrators})
        for model in apps.get_models():
            if issubclass(model, ScopedModelMixin) and not model._meta.abstract:
                count = model.unscoped.within(self.path).count()
                if count:
                    blockers.append(f"{count} × {model._meta.verbose_name}")
        return blockers
