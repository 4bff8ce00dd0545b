"""What the apps built on the registry contribute to it, so that the core never names them.

An app adds to these from its ``AppConfig.ready`` (organisation functions, statistics) and its ``wagtail_hooks``
(its admin menu group):

- organisation functions: a job one organisation does for the app (e.g. reviewing its filings), chosen on the
  organisation's edit form and found with ``Organisation.objects.with_function``;
- statistics: figures appended to the statistics dashboard, with the models whose changes refresh it;
- menu groups: the app's entry in the admin menu, holding its viewsets and the items registered with its hook.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from wagtail.admin.viewsets.base import ViewSetGroup

_functions = {}
_statistics = []
_menu_orders = {}


def add_function(value, label):
    """Declare an organisation function (at most one organisation holds it); returns ``value``."""
    _functions[value] = label
    return value


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
    """The hook through which an app adds plain menu items (reports, shortcuts) to its menu group."""
    return f"register_{name}_menu_item"


class MenuGroup(ViewSetGroup):
    """One programme's submenu: its viewsets, in the order given, then the items registered with its hook."""

    def __init__(self, name, label, icon, order, items=()):
        claimed = _menu_orders.setdefault(order, name)
        if claimed != name:
            raise ImproperlyConfigured(f"Menu groups {claimed!r} and {name!r} both use menu order {order}")
        self.items = items
        self.menu_name, self.menu_label, self.menu_icon, self.menu_order = name, label, icon, order
        self.submenu_hook = menu_hook(name)
        super().__init__()
