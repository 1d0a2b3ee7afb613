"""How profile edits touch an open annual review (kept apart so services stay readable)."""

from __future__ import annotations

from django.utils import timezone

from .choices import ReviewItemDecision, ReviewStatus
from .models import ReviewItem


def answer_updated(answer_ids: list[int]) -> None:
    """Answers saved during an open or returned annual review count as updated for that review."""
    ReviewItem.objects.filter(
        answer_id__in=answer_ids, review__status__in=[ReviewStatus.OPEN, ReviewStatus.RETURNED]
    ).update(decision=ReviewItemDecision.UPDATED, decided_at=timezone.now())
