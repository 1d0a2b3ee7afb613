"""Text search over a `search_text` column: PostgreSQL full-text search where the database is PostgreSQL,
a case-insensitive substring match elsewhere (SQLite). One function picks by `connection.vendor`."""

from __future__ import annotations

from django.db import connection
from django.db.models import F, QuerySet

# The text-search configuration. Migration 0002 builds the GIN index over exactly this expression:
# to_tsvector('english'::regconfig, COALESCE("search_text", '')).
CONFIG = "english"


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def text_search(qs: QuerySet, q: str) -> QuerySet:
    """Filter (and on PostgreSQL rank) the rows whose search_text matches the words typed."""
    q = (q or "").strip()
    if not q:
        return qs
    if uses_full_text():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("search_text", config=CONFIG)
        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        return (
            qs.annotate(search_vector=vector, search_rank=SearchRank(vector, query))
            .filter(search_vector=query)
            .order_by(F("search_rank").desc(nulls_last=True), *qs.query.order_by)
        )
    for word in q.lower().split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs


def search_text(*parts) -> str:
    """What goes in a row's search_text: its words, lower-cased, one line."""
    return " ".join(" ".join(str(p) for p in parts if p).split()).lower()
