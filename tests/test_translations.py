"""One translation mechanism: English msgids, a complete Chinese catalogue, no user-facing text outside gettext.

The rules, checked without a database:
- every entry of the zh_Hans catalogues (the project's, and ``locale/wagtail`` for Wagtail strings its own Chinese
  catalogue lacks) has a Chinese translation, none is fuzzy, and the compiled catalogue holds
  them (``make messages`` was followed by filling and compiling); the en catalogue lists the same msgids (its
  empty msgstrs mean "the msgid as is") and none is fuzzy;
- no msgid is bilingual ("中文 / English", "English (中文)");
- a template holds no Chinese character outside ``{% translate %}``, ``{% blocktranslate %}`` and comments, but
  for the printed forms in ``PRINTED_FORMS``, whose Chinese wording is prescribed;
- Python hands the user no Chinese or bilingual literal: no string literal is bilingual, and none with a Chinese
  character is passed straight to a message, an error or an e-mail (``USER_FACING_CALLS``).
"""

import ast
import gettext
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
#: The project's catalogue, then Wagtail's strings (server and script) that Wagtail's own Chinese lacks.
CHINESE = [
    LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po",
    LOCALE / "wagtail" / "zh_Hans" / "LC_MESSAGES" / "django.po",
    LOCALE / "wagtail" / "zh_Hans" / "LC_MESSAGES" / "djangojs.po",
]
CJK = re.compile(r"[\u3400-\u9fff]")
BILINGUAL = re.compile(
    r"[\u3400-\u9fff][^/]* / +[A-Za-z]{2,}|[A-Za-z]{2,} / +[^/]*[\u3400-\u9fff]|[A-Za-z]{3,} \([\u3400-\u9fff/]+\)"
)
#: Official forms printed for filing with a bureau: their Chinese wording and layout are prescribed.
PRINTED_FORMS = {
    "registry/officer_registration_form.html",
    "awards/application_pdf.html",
    "awards/application_log_pdf.html",
}
TRANSLATED = re.compile(
    r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
    r"|\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}|\{%\s*trans(?:late)?\s.*?%\}",
    re.S,
)
#: Calls whose string arguments reach the user as they are.
USER_FACING_CALLS = {
    "success",
    "error",
    "info",
    "warning",
    "ValidationError",
    "add_error",
    "CommandError",
    "PermissionDenied",
    "Http404",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseForbidden",
    "JsonResponse",
    "send_mail",
    "send_sms",
    "ReviewError",
    "write",
}
PACKAGES = ["cqosite", "registry", "filings", "news", "home"]
#: Sample and reference data in Chinese on purpose (demo content, factories, the shipped organisation tree).
DATA_MODULES = {"demo.py", "factories.py", "reference.py"}


def read_po(path):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr (list), flags; obsolete ones left out."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#~"):
            if entry is not None and line.strip() == "":
                entries.append(entry)
                entry = None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (\".*\")$", line):
            name, index, value = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if name.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = value
            else:
                field = (name, None)
                entry[name] = value
        elif line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += ast.literal_eval(line)
            else:
                entry[field[0]] += ast.literal_eval(line)
    return [entry for entry in entries if entry["msgid"]]


def catalogue(language):
    return read_po(LOCALE / language / "LC_MESSAGES" / "django.po")


def keys(entries):
    return {(entry["msgctxt"], entry["msgid"]) for entry in entries}


@pytest.mark.parametrize("path", CHINESE, ids=lambda path: path.relative_to(LOCALE).as_posix())
def test_every_msgid_has_a_chinese_translation_and_none_is_fuzzy(path):
    entries = read_po(path)
    assert entries
    untranslated = [entry["msgid"] for entry in entries if not all(entry["msgstr"].values())]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert not untranslated, f"{len(untranslated)} msgids without a Chinese translation: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy zh_Hans entries: {fuzzy[:20]}"


def test_the_english_catalogue_lists_the_same_msgids_and_none_is_fuzzy():
    english, chinese = catalogue("en"), catalogue("zh_Hans")
    assert keys(english) == keys(chinese), {
        "only in en": sorted(keys(english) - keys(chinese))[:10],
        "only in zh_Hans": sorted(keys(chinese) - keys(english))[:10],
    }
    assert not [entry["msgid"] for entry in english if "fuzzy" in entry["flags"]]


@pytest.mark.parametrize("path", CHINESE, ids=lambda path: path.relative_to(LOCALE).as_posix())
def test_the_compiled_chinese_catalogue_matches_its_source(path):
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        entry["msgid"]
        for entry in read_po(path)
        if entry["msgid_plural"] is None
        and entry["msgctxt"] is None
        and compiled.gettext(entry["msgid"]) != entry["msgstr"][0]
    ]
    assert not stale, f"run compilemessages: {stale[:10]}"


def test_no_msgid_is_bilingual():
    bilingual = [entry["msgid"] for entry in catalogue("zh_Hans") if BILINGUAL.search(entry["msgid"])]
    assert not bilingual, bilingual[:20]


def template_files():
    for directory in [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("filings/*/templates")]:
        yield from (path for path in directory.rglob("*") if path.suffix in {".html", ".txt"})


def untranslated_template_lines(path):
    text = TRANSLATED.sub(" ", path.read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines() if CJK.search(line)]


def test_templates_hold_no_chinese_outside_translation_tags():
    found = {}
    for path in template_files():
        if path.as_posix().rsplit("templates/", 1)[-1] in PRINTED_FORMS:
            continue
        if lines := untranslated_template_lines(path):
            found[path.relative_to(ROOT).as_posix()] = lines[:3]
    assert not found, found


def test_printed_forms_exist():
    """The allow-list names real files: a renamed form must not leave a stale exemption behind."""
    assert all((ROOT / "templates" / name).exists() for name in PRINTED_FORMS)


def python_files():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts and path.name not in DATA_MODULES:
                yield path


def literal_text(node):
    """The constant text of a str literal or an f-string (placeholders dropped), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    return None


def call_name(node):
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)


def python_problems(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    problems = []
    for node in ast.walk(tree):
        text = literal_text(node)
        if text is not None and id(node) not in docstrings and BILINGUAL.search(text):
            problems.append(f"{node.lineno}: bilingual {text[:60]!r}")
        if isinstance(node, ast.Call) and call_name(node) in USER_FACING_CALLS:
            translated = {
                id(inner)
                for call in ast.walk(node)
                if isinstance(call, ast.Call) and call is not node and call_name(call) in GETTEXT
                for inner in ast.walk(call)
            }
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                for inner in ast.walk(argument):
                    text = literal_text(inner)
                    if text is not None and CJK.search(text) and id(inner) not in translated:
                        problems.append(f"{inner.lineno}: Chinese outside gettext {text[:60]!r}")
    return problems


GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}


def test_python_hands_the_user_no_untranslated_chinese():
    found = {
        path.relative_to(ROOT).as_posix(): problems for path in python_files() if (problems := python_problems(path))
    }
    assert not found, found


@pytest.mark.django_db
def test_the_admin_scripts_get_the_chinese_of_wagtail_strings_its_catalogue_lacks(client):
    catalog = client.get(reverse("wagtailadmin_javascript_catalog"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert json.dumps("网络错误。") in catalog.content.decode()


@pytest.mark.django_db
def test_the_redirect_import_screen_is_in_chinese_where_wagtails_catalogue_lacks_it(client, django_user_model):
    """Wagtail's zh_Hans has no Chinese for the redirect import's help: ``locale/wagtail`` supplies it."""
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "x"))
    html = client.get(reverse("wagtailredirects:start_import"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "导入前可以调整这些重定向" in html
    assert "After submitting you will be taken" not in html
