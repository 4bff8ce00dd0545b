"""Helpers to create news in tests and benchmarks."""

import datetime

from .models import NewsPage
from .sections import ensure_section


def make_news(organisation, title, *, summary="", paragraphs=(), date=None, owner=None, publish=True):
    """A news page in ``organisation``'s section; published unless ``publish`` is false (then a draft)."""
    section = ensure_section(organisation)
    page = NewsPage(
        title=title,
        summary=summary or title,
        body=[("paragraph", "".join(f"<p>{text}</p>" for text in paragraphs))] if paragraphs else [],
        date=date or datetime.date.today(),
        owner=owner,
        live=False,
    )
    section.add_child(instance=page)
    revision = page.save_revision(user=owner)
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page
