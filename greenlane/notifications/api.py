"""The signed-in user's notifications."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from greenlane.core.paging import paginate

from . import selectors, services

router = Router(tags=["Notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    partner_id: int | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    count: int
    unread: int
    limit: int
    offset: int
    items: list[NotificationOut]


@router.get("", response=NotificationPage, summary="My notifications, newest first")
def list_notifications(request, unread: bool = False, limit: int = 25, offset: int = 0):
    page = paginate(selectors.notifications_for(request.auth, unread_only=unread), limit=limit, offset=offset)
    return {
        "count": page.count,
        "unread": selectors.unread_count(request.auth),
        "limit": page.limit,
        "offset": page.offset,
        "items": page.items,
    }


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one notification read")
def read_notification(request, notification_id: int):
    return services.notification_read(actor=request.auth, notification_id=notification_id)


@router.post("/read-all", response={200: dict}, summary="Mark all my notifications read")
def read_all(request):
    return {"changed": services.notifications_read_all(actor=request.auth)}
