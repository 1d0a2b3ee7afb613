"""Reads of the message boards for an actor. Topics a person's companies are not in the audience of are 404."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from greenlane.core.errors import Forbidden, NotFound
from greenlane.core.paging import Page, paginate
from greenlane.partners.choices import EntityType
from greenlane.partners.models import Membership, Partner

from . import permissions
from .choices import PostDisplay, ReportStatus
from .models import AbuseReport, Post, Thread, Topic


@dataclass(frozen=True)
class BoardAccess:
    """Who is reading: staff, or a member with their certified companies (and those they may speak for)."""

    is_staff: bool
    can_moderate: bool = False
    companies: list[Partner] = field(default_factory=list)
    speaking: list[Partner] = field(default_factory=list)

    def sees(self, topic: Topic) -> bool:
        if self.is_staff:
            return True
        audience = set(topic.audience_entity_types or [])
        return any(not audience or p.entity_type in audience for p in self.companies)

    def may_speak_for(self, topic: Topic) -> list[Partner]:
        if self.is_staff:
            return []
        audience = set(topic.audience_entity_types or [])
        return [p for p in self.speaking if not audience or p.entity_type in audience]


def board_access(user) -> BoardAccess:
    """The boards are open to staff and to people of certified member companies; anyone else is refused."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    if permissions.role(user):
        return BoardAccess(is_staff=True, can_moderate=permissions.can_moderate(user))
    memberships = list(
        Membership.objects.filter(user=user, partner__status__in=permissions.MEMBER_STATUSES)
        .select_related("partner")
        .order_by("partner__legal_name", "partner_id")
    )
    if not memberships:
        raise Forbidden(
            _(
                "The community is open to people of certified member companies. It opens to you once one of "
                "your companies is certified."
            )
        )
    return BoardAccess(
        is_staff=False,
        companies=[m.partner for m in memberships],
        speaking=[m.partner for m in memberships if m.role in permissions.BOARD_SPEAKERS],
    )


def topics(access: BoardAccess) -> list[Topic]:
    """Every topic the reader may open, with thread counts (one query; topics are few)."""
    found = Topic.objects.select_related("created_by").annotate(thread_count=Count("threads"))
    visible: list[Topic] = [t for t in found if access.sees(t)]
    for topic in visible:
        topic.audience_labels = [  # type: ignore[attr-defined]
            str(EntityType(v).label) for v in topic.audience_entity_types or [] if v in EntityType.values
        ]
    return visible


def topic_for(access: BoardAccess, topic_id) -> Topic:
    topic = Topic.objects.select_related("created_by").filter(pk=_int(topic_id)).first()
    if topic is None or not access.sees(topic):
        raise NotFound()
    return topic


def threads(access: BoardAccess, topic: Topic, *, limit: int | None, offset: int | None) -> Page:
    qs = Thread.objects.filter(topic=topic).select_related("created_by", "partner")
    return paginate(qs, limit=limit, offset=offset, default=25)


def thread_for(access: BoardAccess, thread_id) -> Thread:
    thread = Thread.objects.select_related("topic", "created_by").filter(pk=_int(thread_id)).first()
    if thread is None or not access.sees(thread.topic):
        raise NotFound()
    return thread


def posts(access: BoardAccess, thread: Thread, *, limit: int | None, offset: int | None) -> Page:
    qs = Post.objects.filter(thread=thread).select_related("author", "partner", "hidden_by")
    page = paginate(qs, limit=limit, offset=offset, default=20)
    for post in page.items:
        post.signature = signature(post)
        post.visible_body = post.body if (access.is_staff or not post.hidden) else ""
    return page


def post_for(access: BoardAccess, post_id) -> Post:
    post = Post.objects.select_related("thread__topic", "author", "partner").filter(pk=_int(post_id)).first()
    if post is None or not access.sees(post.thread.topic):
        raise NotFound()
    post.signature = signature(post)  # type: ignore[attr-defined]
    return post


def signature(post: Post) -> str:
    """How a post is signed: by default the person's name and company; a member may show the company only.
    Program staff sign as staff. Moderators see the real author on their pages whatever is chosen."""
    partner = post.partner
    if partner is None:
        return _("%(name)s (program staff)") % {"name": post.author.display_name}
    company = partner.dba_name or partner.legal_name
    if post.display == PostDisplay.COMPANY:
        return company
    return f"{post.author.display_name} · {company}"


def reports(user, *, status: str = ReportStatus.OPEN, limit: int | None, offset: int | None) -> Page:
    """The moderation queue (staff only), oldest first."""
    if not permissions.role(user):
        raise NotFound()
    qs = AbuseReport.objects.select_related(
        "post__thread__topic", "post__author", "post__partner", "reporter", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    page = paginate(qs.order_by("created_at", "id"), limit=limit, offset=offset)
    for report in page.items:
        report.post.signature = signature(report.post)
    return page


def report_for(user, report_id) -> AbuseReport:
    if not permissions.role(user):
        raise NotFound()
    found = AbuseReport.objects.select_related("post__thread__topic").filter(pk=_int(report_id)).first()
    if found is None:
        raise NotFound()
    return found


def open_report_count() -> int:
    return AbuseReport.objects.filter(status=ReportStatus.OPEN).count()


def hidden_posts(*, limit: int = 10) -> list[Post]:
    return list(
        Post.objects.filter(hidden=True)
        .select_related("thread", "author", "partner", "hidden_by")
        .order_by("-hidden_at")[:limit]
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
