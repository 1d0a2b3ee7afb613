"""Threads for the company's people and the staff who may reach the company; unread counts in one query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from greenlane.accounts.choices import StaffRole
from greenlane.core.errors import NotFound
from greenlane.core.paging import Page, paginate
from greenlane.partners.models import Membership
from greenlane.partners.selectors import partner_for

from .. import permissions
from ..models import Attachment, Message, Thread, ThreadRead


def with_unread(qs: QuerySet[Thread], user) -> QuerySet[Thread]:
    """Annotate each thread with the number of messages others wrote after the user's read mark."""
    last_read = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("last_read_id")[:1]
    qs = qs.annotate(last_read=Coalesce(Subquery(last_read), Value(0), output_field=IntegerField()))
    unread = (
        Message.objects.filter(thread=OuterRef("pk"), id__gt=OuterRef("last_read"))
        .exclude(author=user)
        .order_by()
        .values("thread")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return qs.annotate(unread=Coalesce(Subquery(unread), Value(0), output_field=IntegerField()))


def _staff_scope(user) -> Q:
    """The partners whose threads a staff member reads: by role, the same rule as permissions.can_reach."""
    role = user.staff_role
    if role in permissions.REACH_ALL or role in permissions.THREAD_READERS:
        return Q()
    scope = Q(partner__assigned_scs=user)
    if role == StaffRole.SUPERVISORY_SCS:
        scope |= Q(partner__field_office__isnull=True) | Q(partner__field_office_id=user.field_office_id)
    return scope


def thread_for(user, thread_id) -> Thread:
    """The thread if the user belongs to its company or is staff who may read it; NotFound otherwise."""
    try:
        pk = int(thread_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    qs = Thread.objects.select_related(
        "partner",
        "partner__assigned_scs",
        "partner__field_office",
        "validation",
        "last_staff_author",
        "created_by",
    )
    qs = qs.filter(_staff_scope(user)) if user.staff_role else qs.filter(partner__memberships__user=user)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def company_thread(user, partner_id, thread_id) -> Thread:
    """A thread seen from a company page: the company in the URL must be the thread's."""
    partner_for(user, partner_id)
    thread = thread_for(user, thread_id)
    if str(thread.partner_id) != str(partner_id):
        raise NotFound()
    return thread


def threads_page(user, *, partner_id=None, unread_only: bool = False, limit=None, offset=None) -> Page:
    """One company's threads (partner_id), else a trade user's companies' threads or a staff inbox."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    if partner_id is not None:
        access = partner_for(user, partner_id)
        if access.is_staff and not permissions.can_read_threads_of(user, access.partner):
            raise NotFound()
        qs = Thread.objects.filter(partner=access.partner)
    elif user.staff_role:
        qs = Thread.objects.filter(_staff_scope(user))
    else:
        qs = Thread.objects.filter(partner_id__in=Membership.objects.filter(user=user).values("partner_id"))
    qs = with_unread(qs.select_related("partner", "last_staff_author"), user).order_by(
        "-last_message_at", "-id"
    )
    if unread_only:
        qs = qs.filter(unread__gt=0)  # type: ignore[misc]
    return paginate(qs, limit=limit, offset=offset)


def company_threads(user, partner_id, *, limit=None, offset=None) -> Page:
    return threads_page(user, partner_id=partner_id, limit=limit, offset=offset)


def staff_inbox(user, *, unread_only: bool = False, q: str = "", limit=None, offset=None) -> Page:
    if not getattr(user, "is_authenticated", False) or not user.staff_role:
        raise NotFound()
    qs = with_unread(
        Thread.objects.filter(_staff_scope(user)).select_related("partner", "partner__assigned_scs"), user
    ).order_by("-last_message_at", "-id")
    if unread_only:
        qs = qs.filter(unread__gt=0)  # type: ignore[misc]
    if q.strip():
        qs = qs.filter(Q(subject__icontains=q.strip()) | Q(partner__legal_name__icontains=q.strip()))
    return paginate(qs, limit=limit, offset=offset)


def messages(thread: Thread) -> list[Message]:
    return list(
        thread.messages.select_related("author").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        )
    )


def last_read_id(user, thread: Thread) -> int:
    mark = ThreadRead.objects.filter(thread=thread, user=user).values_list("last_read_id", flat=True).first()
    return int(mark or 0)


def unread_message_total(user, partner) -> int:
    """Messages in the company's threads written by others after the user's read mark (one query)."""
    last_read = ThreadRead.objects.filter(thread=OuterRef("thread_id"), user=user).values("last_read_id")[:1]
    return (
        Message.objects.filter(thread__partner=partner)
        .exclude(author=user)
        .filter(id__gt=Coalesce(Subquery(last_read), Value(0), output_field=IntegerField()))
        .count()
    )


def unread_for_user(user) -> int:
    """Unread messages across every company of a trade user (for the navigation badge)."""
    if not getattr(user, "is_authenticated", False) or user.staff_role:
        return 0
    last_read = ThreadRead.objects.filter(thread=OuterRef("thread_id"), user=user).values("last_read_id")[:1]
    partners = Membership.objects.filter(user=user).values("partner_id")
    return (
        Message.objects.filter(thread__partner_id__in=partners)
        .exclude(author=user)
        .filter(id__gt=Coalesce(Subquery(last_read), Value(0), output_field=IntegerField()))
        .count()
    )


def attachment_for(user, thread_id, attachment_id) -> Attachment:
    thread = thread_for(user, thread_id)
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = Attachment.objects.filter(pk=pk, message__thread=thread).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class Handover:
    current: object | None  # today's assigned specialist
    previous: object | None  # the staff member who wrote last, when another


def handover(thread: Thread) -> Handover | None:
    """A note when the specialist who last wrote is no longer the company's specialist (read at request time
    from partner.assigned_scs, so a thread follows every reassignment without a hook)."""
    current = thread.partner.assigned_scs
    last = thread.last_staff_author
    if last is None or (current is not None and current.pk == last.pk):
        return None
    if current is None or last.staff_role == StaffRole.SCS:
        return Handover(current=current, previous=last)
    return None
