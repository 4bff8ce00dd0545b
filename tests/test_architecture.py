"""The boundaries docs/architecture.md describes: the core names none of the apps built on it, and the apps
join the admin menu in groups whose orders never collide."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from wagtail.admin.menu import SubmenuMenuItem, admin_menu

CORE = Path(settings.BASE_DIR) / "registry"


def apps_built_on_the_core():
    """Every project app except the core and the project package: their module names and labels."""
    base = Path(settings.BASE_DIR)
    project = [config for config in apps.get_app_configs() if (base / config.name.split(".")[0]).is_dir()]
    built_on = [config for config in project if config.name not in ("registry", "cqosite")]
    return {config.name.split(".")[0] for config in built_on}, {config.label for config in built_on}


def references(tree, packages, labels):
    """Imports of ``packages`` and strings naming an app label ("awards", "awards.Application")."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in labels or node.value.split(".")[0] in labels:
                yield node.lineno, repr(node.value)
            continue
        else:
            continue
        for name in names:
            if name.split(".")[0] in packages:
                yield node.lineno, f"import {name}"


def test_the_core_neither_imports_nor_names_the_apps_built_on_it():
    packages, labels = apps_built_on_the_core()
    assert {"filings", "news", "home"} <= packages and {"standards", "awards", "qcgroups"} <= labels
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}: {what}"
        for path in sorted(CORE.rglob("*.py"))
        for line, what in references(ast.parse(path.read_text(encoding="utf-8")), packages, labels)
    ]
    assert found == []


def test_the_check_catches_an_import_and_a_model_label():
    tree = ast.parse('from filings.awards.models import Application\napps.get_model("qcgroups", "Filing")\n')
    assert [what for _line, what in references(tree, {"filings"}, {"qcgroups"})] == [
        "import filings.awards.models",
        "'qcgroups'",
    ]


@pytest.mark.django_db
def test_menu_orders_are_unique_in_the_main_menu_and_in_every_group(client):
    client.get("/admin/login/")  # loads every wagtail_hooks module
    top = admin_menu.registered_menu_items
    orders = [item.order for item in top]
    assert len(orders) == len(set(orders)), sorted(orders)
    groups = [item for item in top if item.name in {"registry", "standards", "awards", "qcgroups", "news"}]
    assert len(groups) == 5 and all(isinstance(group, SubmenuMenuItem) for group in groups)
    for group in groups:
        inner = [item.order for item in group.menu.registered_menu_items]
        assert len(inner) == len(set(inner)) and inner, group.name
