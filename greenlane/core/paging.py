"""Limit/offset paging shared by list pages and list endpoints."""

from __future__ import annotations

from dataclasses import dataclass

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    items: list
    count: int
    limit: int
    offset: int

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.count

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def next_offset(self) -> int:
        return self.offset + self.limit

    @property
    def previous_offset(self) -> int:
        return max(0, self.offset - self.limit)

    @property
    def first_index(self) -> int:
        return self.offset + 1 if self.count else 0

    @property
    def last_index(self) -> int:
        return min(self.offset + self.limit, self.count)


def clamp(limit: int | None, offset: int | None, default: int = 25) -> tuple[int, int]:
    limit = default if not limit or limit < 1 else min(limit, MAX_PAGE_SIZE)
    offset = 0 if not offset or offset < 0 else offset
    return limit, offset


def paginate(queryset, *, limit: int | None, offset: int | None, default: int = 25) -> Page:
    limit, offset = clamp(limit, offset, default)
    count = queryset.count()
    return Page(items=list(queryset[offset : offset + limit]), count=count, limit=limit, offset=offset)
