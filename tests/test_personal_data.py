"""Personal data never reaches public pages, feeds or APIs.

Loads the complete demo site, collects every personal value stored anywhere (any field whose name says
mobile, e-mail or ID number, on any model), then crawls the public site from its entry points — pages,
feeds, the page API and the standards API — following every same-site link outside /admin/, and fails
on any page that contains one of those values or any valid resident ID number.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command

from registry.validators import validate_resident_id

ENTRY_POINTS = [
    "/",
    "/news/",
    "/standards/",
    "/talent-pool/",
    "/awards/",
    "/search/?q=质量",
    "/api/v2/pages/?limit=50",
    "/api/standards/",
    "/api/openapi.json",
]
PERSONAL_FIELD = re.compile(r"(mobile|e_?mail|id_number|resident_id|id_card)", re.I)
ID_LIKE = re.compile(r"(?<![0-9A-Z])\d{17}[\dXx](?![0-9A-Za-z])")
LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)["']|"(/api/[^"]+)\"""")
MAX_PAGES = 400


def personal_values():
    values = set()
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if PERSONAL_FIELD.search(f.name)]
        for name in names:
            for value in model._base_manager.exclude(**{f"{name}__isnull": True}).values_list(name, flat=True):
                if isinstance(value, str) and len(value.strip()) >= 6:
                    values.add(value.strip())
    return values


def valid_id_numbers(text):
    found = []
    for candidate in ID_LIKE.findall(text):
        try:
            validate_resident_id(candidate)
        except ValidationError:
            continue
        found.append(candidate)
    return found


@pytest.mark.django_db
def test_public_site_exposes_no_personal_data(client):
    call_command("load_demo_data", verbosity=0, stdout=open("/dev/null", "w"))
    secrets = personal_values()
    assert len(secrets) >= 20, "the demo site should hold personal data for this test to mean something"
    queue, seen, leaks, crawled = deque(ENTRY_POINTS), set(ENTRY_POINTS), [], 0
    while queue and crawled < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        crawled += 1
        if response.status_code != 200 or response.streaming:
            continue
        content_type = response.get("Content-Type", "")
        if not any(kind in content_type for kind in ("html", "json", "xml", "text")):
            continue
        text = response.content.decode("utf-8", errors="replace")
        leaks += [f"{url}: {value}" for value in secrets if value in text]
        leaks += [f"{url}: ID {value}" for value in valid_id_numbers(text)]
        for match in LINK.finditer(text):
            link = urljoin(url, (match.group(1) or match.group(2)).replace("\\/", "/"))
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver") or parts.path.startswith(("/admin", "/static", "/captcha")):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in seen:
                seen.add(path)
                queue.append(path)
    print(f"crawled {crawled} public URLs, {len(seen)} discovered, checked against {len(secrets)} personal values")  # noqa: T201
    assert crawled >= 20, f"only {crawled} public pages crawled"
    assert not leaks, "personal data on public pages:\n" + "\n".join(sorted(set(leaks))[:50])
