"""What the apps built on the registry contribute to it, so that the core never names them.

An app adds to these from its ``AppConfig.ready`` (organisation functions, statistics) and its ``wagtail_hooks``
(its admin menu group):

- organisation functions: a job one organisation does for the app (e.g. reviewing its filings), chosen on the
  organisation's edit form and found with ``Organisation.objects.with_function``;
- statistics: figures appended to the statistics dashboard, with the models whose changes refresh it;
- menu groups: the app's entry in the admin menu, a submenu of its viewsets and items (``menu_hook``).
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

_functions = {}
_statistics = []
_menu_orders = {}


def add_function(value, label):
    """Declare an organisation function (at most one organisation holds it)."""
    _functions[value] = label


def function_choices():
    """The choices of ``Organisation.function`` (a callable, so migrations do not depend on the apps)."""
    return list(_functions.items())


def function_label(value):
    return _functions.get(value, value)


@dataclass(frozen=True)
class Statistic:
    """A dashboard figure: ``figure(prefix)`` gives a ``registry.statistics.queries.Figure`` for the subtree at
    ``prefix`` (``None``: everything); a save or delete of a model in ``counts`` ("app_label.Model") refreshes it."""

    key: str
    figure: object
    counts: tuple


def add_statistic(key, figure, counts):
    if any(statistic.key == key for statistic in _statistics):
        raise ImproperlyConfigured(f"Two statistics are keyed {key!r}")
    _statistics.append(Statistic(key, figure, tuple(counts)))


def statistics():
    """The contributed figures, in the order the apps are installed."""
    return list(_statistics)


def menu_hook(name):
    """The hook through which an app's viewsets (``menu_hook = ...``) and menu items join its menu group."""
    return f"register_{name}_menu_item"


def add_menu_group(name, label, icon, order):
    """Put the app's submenu in the admin menu at ``order``, which no other group may use."""
    claimed = _menu_orders.setdefault(order, name)
    if claimed != name:
        raise ImproperlyConfigured(f"Menu groups {claimed!r} and {name!r} both use menu order {order}")

    def submenu():
        return SubmenuMenuItem(label, Menu(register_hook_name=menu_hook(name)), name=name, icon_name=icon, order=order)

    hooks.register("register_admin_menu_item", submenu)
