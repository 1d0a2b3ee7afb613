"""Text search over a row's `search_text`: PostgreSQL full-text search where the database is PostgreSQL,
a case-insensitive substring match elsewhere (SQLite). One function picks by `connection.vendor`."""

from __future__ import annotations

from django.db import connection
from django.db.models import F, QuerySet

CONFIG = "english"


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def text_search(qs: QuerySet, q: str) -> QuerySet:
    """Filter (and on PostgreSQL rank) the rows whose text matches the words typed.

    PostgreSQL: the stored `search_vector` (GIN-indexed, migration 0002) matched by a websearch query
    (phrases in quotes, -word, or), English stemming, best rank first. SQLite: every word (up to eight) must
    appear in `search_text`."""
    q = (q or "").strip()
    if not q:
        return qs
    if uses_full_text():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        return (
            qs.filter(search_vector=query)
            .annotate(search_rank=SearchRank(F("search_vector"), query))
            .order_by(F("search_rank").desc(), *(qs.query.order_by or qs.model._meta.ordering))
        )
    for word in q.lower().split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs


def refresh_vectors(model, pks) -> None:
    """Store the tsvector of these rows' search_text (PostgreSQL; nothing to do elsewhere)."""
    if not uses_full_text():
        return
    from django.contrib.postgres.search import SearchVector

    model.objects.filter(pk__in=list(pks)).update(search_vector=SearchVector("search_text", config=CONFIG))


def search_text(*parts) -> str:
    """What goes in a row's search_text: its words, lower-cased, one line."""
    return " ".join(" ".join(str(p) for p in parts if p).split()).lower()
