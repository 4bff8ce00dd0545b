"""Dashboard figures cached per organisation subtree for at most a minute, and dropped when what they read changes.

The officer and enterprise figures come from the snapshot (``snapshot.py``, refreshed each minute, which bumps
the generation too); the programmes' figures are counted when the cache misses.

Every key carries a generation number; a save or delete of a record the figures count (an approval publishes the
officer, which saves it) bumps the generation, so the next dashboard recomputes. With several processes and a
per-process cache the one-minute expiry bounds staleness; with the shared Redis cache the bump is immediate.
"""

import dataclasses

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import Promise
from django.utils.translation import get_language

from registry import contributions
from registry.generations import Generation

from . import queries, snapshot

TTL_SECONDS = 60
GENERATION = Generation("statistics:generation")


def cache_key(prefix):
    return f"statistics:{GENERATION.current()}:dashboard:{get_language()}:{prefix or '*'}"


def dashboard(prefix):
    figures = cache.get(cache_key(prefix))
    if figures is None:
        with queries.one_dashboard():
            figures = translated(snapshot.dashboard(prefix))
        # Counting a registry never counted starts a new generation: keep the figures under that one.
        cache.set(cache_key(prefix), figures, TTL_SECONDS)
    return figures


def translated(value):
    """``value`` (the figures: dicts, lists, tuples and Figures) with its lazy translations as text in the active
    language, cached per language: unpickling a lazy string builds a class for it (the dashboard's 75 labels cost
    every admin home page more than its queries)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: translated(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(translated(item) for item in value)
    if isinstance(value, queries.Figure):
        return dataclasses.replace(
            value, **{f.name: translated(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    return value


def counted_models():
    """The registry's own counted models and those of every contributed figure."""
    from django.apps import apps

    labels = ["registry.ChiefQualityOfficer", "registry.Enterprise"]
    labels += [label for statistic in contributions.statistics() for label in statistic.counts]
    return [apps.get_model(label) for label in dict.fromkeys(labels)]


def connect():
    for model in counted_models():
        uid = f"statistics.invalidate.{model._meta.label_lower}"
        post_save.connect(GENERATION.bump, sender=model, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(GENERATION.bump, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
    from registry.models import Enterprise

    m2m_changed.connect(
        GENERATION.bump,
        sender=Enterprise.economic_types.through,
        dispatch_uid="statistics.invalidate.natures",
        weak=False,
    )
