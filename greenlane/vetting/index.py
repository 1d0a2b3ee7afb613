"""The in-process match index: built from the database once per version of the record set, then reused.

The version is the latest import that changed records (its token) and how many such imports there are, so
every process notices a new import with one small query and rebuilds on its next search; an import that
changed nothing keeps the index.
"""

from __future__ import annotations

import threading

from django.db.models import Q

from .matching import MatchIndex
from .models import ComplianceImport, ComplianceRecord

_lock = threading.Lock()
_cached: dict[str, MatchIndex] = {}


def current_version() -> str:
    changing = ComplianceImport.objects.filter(Q(created_count__gt=0) | Q(updated_count__gt=0))
    latest = changing.order_by("-id").values_list("index_token", flat=True).first()
    if latest is None:
        return "empty"
    return f"{changing.count()}:{latest}"


def build(version: str) -> MatchIndex:
    rows = (
        ComplianceRecord.objects.order_by("country", "name_key", "id")
        .values_list("id", "country", "name_key")
        .iterator(chunk_size=20_000)
    )
    return MatchIndex.build(rows, version)


def get_index() -> MatchIndex:
    version = current_version()
    index = _cached.get("index")
    if index is not None and index.version == version:
        return index
    with _lock:
        index = _cached.get("index")
        if index is None or index.version != version:
            index = build(version)
            _cached["index"] = index
    return index


def clear() -> None:
    _cached.clear()
