"""Writes on the message boards: topics (staff), threads and posts (members and staff), moderation, reports."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from greenlane.core.transitions import check_transition
from greenlane.partners.choices import EntityType
from greenlane.partners.models import Partner

from . import permissions
from .board_selectors import BoardAccess, board_access
from .choices import REPORT_TRANSITIONS, ModerationAction, PostDisplay, ReportStatus
from .models import AbuseReport, Post, Thread, Topic

MAX_BODY = 10000


def _moderator(actor) -> None:
    if not permissions.can_moderate(actor):
        raise Forbidden(_("Only board moderators (specialists, supervisors, program managers) may do this."))


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(_("Enter %(label)s.") % {"label": label}, field=field)
    if len(text) > max_length:
        raise InvalidInput(
            _("Keep %(label)s under %(n)d characters (it has %(len)d).")
            % {"label": label, "n": max_length, "len": len(text)},
            field=field,
        )
    return text


def _entity_types(values) -> list[str]:
    chosen = sorted({str(v) for v in (values or []) if v})
    unknown = [v for v in chosen if v not in EntityType.values]
    if unknown:
        raise InvalidInput(
            _("Unknown entity type: %(v)s.") % {"v": ", ".join(unknown)}, field="audience_entity_types"
        )
    return chosen


def _display(value: str) -> str:
    value = value or PostDisplay.PERSON_AND_COMPANY
    if value not in PostDisplay.values:
        raise InvalidInput(
            _("Choose how to sign the post: %(v)s.") % {"v": ", ".join(PostDisplay.values)}, field="display"
        )
    return value


def _speaker(access: BoardAccess, topic: Topic, partner_id) -> Partner | None:
    """The company a member posts for; None for staff. A company the member may not speak for is refused."""
    if access.is_staff:
        return None
    allowed = access.may_speak_for(topic)
    if not allowed:
        raise Forbidden(
            _(
                "Only officers, administrators and contributors of a member company in this topic's audience "
                "may post here."
            )
        )
    if partner_id in (None, ""):
        return allowed[0]
    for partner in allowed:
        if str(partner.pk) == str(partner_id):
            return partner
    raise InvalidInput(_("You may not post for that company in this topic."), field="partner_id")


def _locked_refusal(topic: Topic, thread: Thread | None = None) -> None:
    if topic.locked:
        raise Conflict(_("This topic is locked by a moderator: nothing can be posted in it."), field="topic")
    if thread is not None and thread.locked:
        raise Conflict(_("This thread is locked by a moderator: replies are closed."), field="thread")


@transaction.atomic
def topic_create(*, actor, title: str, description: str = "", audience_entity_types=None) -> Topic:
    _moderator(actor)
    topic = Topic(
        title=_text(title, field="title", label=_("a title"), max_length=150),
        description=_text(
            description, field="description", label=_("a description"), max_length=2000, required=False
        ),
        audience_entity_types=_entity_types(audience_entity_types),
        created_by=actor,
    )
    topic.save()
    record_event(
        actor=actor,
        action="community.topic_create",
        obj=topic,
        summary=f"Board topic '{topic.title}' opened",
        after={"title": topic.title, "audience": topic.audience_entity_types},
    )
    return topic


_FLAGS = {
    ModerationAction.LOCK: ("locked", True),
    ModerationAction.UNLOCK: ("locked", False),
    ModerationAction.PIN: ("pinned", True),
    ModerationAction.UNPIN: ("pinned", False),
}


def _flag(action: str) -> tuple[str, bool]:
    if action not in _FLAGS:
        raise InvalidInput(
            _("Unknown action '%(a)s'. Choose one of: %(v)s.") % {"a": action, "v": ", ".join(_FLAGS)},
            field="action",
        )
    return _FLAGS[action]  # type: ignore[index]


@transaction.atomic
def topic_moderate(*, actor, topic_id, action: str, reason: str = "") -> Topic:
    _moderator(actor)
    name, value = _flag(action)
    topic = Topic.objects.select_for_update().filter(pk=topic_id).first()
    if topic is None:
        raise NotFound()
    if getattr(topic, name) == value:
        raise Conflict(_("The topic is already %(state)s.") % {"state": _state(name, value)}, field="action")
    setattr(topic, name, value)
    topic.save(update_fields=[name])
    record_event(
        actor=actor,
        action=f"community.topic_{action}",
        obj=topic,
        summary=f"Board topic '{topic.title}': {action}",
        before={name: not value},
        after={name: value},
        reason=(reason or "").strip()[:500],
    )
    return topic


@transaction.atomic
def thread_moderate(*, actor, thread_id, action: str, reason: str = "") -> Thread:
    _moderator(actor)
    name, value = _flag(action)
    thread = Thread.objects.select_for_update().filter(pk=thread_id).first()
    if thread is None:
        raise NotFound()
    if getattr(thread, name) == value:
        raise Conflict(_("The thread is already %(state)s.") % {"state": _state(name, value)}, field="action")
    setattr(thread, name, value)
    thread.save(update_fields=[name])
    record_event(
        actor=actor,
        action=f"community.thread_{action}",
        partner=thread.partner,
        obj=thread,
        summary=f"Board thread '{thread.title}': {action}",
        before={name: not value},
        after={name: value},
        reason=(reason or "").strip()[:500],
    )
    return thread


def _state(name: str, value: bool) -> str:
    if name == "locked":
        return _("locked") if value else _("unlocked")
    return _("pinned") if value else _("not pinned")


@transaction.atomic
def thread_create(*, actor, topic_id, title: str, body: str, partner_id=None, display: str = "") -> Thread:
    """Start a thread with its first post. Refused in a locked topic, with nothing stored."""
    access = board_access(actor)
    topic = Topic.objects.select_for_update().filter(pk=topic_id).first()
    if topic is None or not access.sees(topic):
        raise NotFound()
    _locked_refusal(topic)
    partner = _speaker(access, topic, partner_id)
    title = _text(title, field="title", label=_("a title"), max_length=150)
    body = _text(body, field="body", label=_("a message"), max_length=MAX_BODY)
    display = _display(display)
    now = timezone.now()
    thread = Thread.objects.create(
        topic=topic,
        title=title,
        created_by=actor,
        partner=partner,
        post_count=1,
        created_at=now,
        last_post_at=now,
    )
    post = Post.objects.create(
        thread=thread, author=actor, partner=partner, display=display, body=body, created_at=now
    )
    Topic.objects.filter(pk=topic.pk).update(last_post_at=now)
    record_event(
        actor=actor,
        action="community.thread_create",
        partner=partner,
        obj=thread,
        summary=f"Board thread '{title}' started in '{topic.title}'",
        after={"topic": topic.pk, "title": title, "post": post.pk, "display": display},
    )
    return thread


@transaction.atomic
def post_create(*, actor, thread_id, body: str, partner_id=None, display: str = "") -> Post:
    """Reply in a thread. Refused in a locked thread or topic, with nothing stored."""
    access = board_access(actor)
    thread = Thread.objects.select_for_update().select_related("topic").filter(pk=thread_id).first()
    if thread is None or not access.sees(thread.topic):
        raise NotFound()
    _locked_refusal(thread.topic, thread)
    partner = _speaker(access, thread.topic, partner_id)
    body = _text(body, field="body", label=_("a message"), max_length=MAX_BODY)
    display = _display(display)
    now = timezone.now()
    post = Post.objects.create(
        thread=thread, author=actor, partner=partner, display=display, body=body, created_at=now
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=thread.post_count + 1, last_post_at=now)
    Topic.objects.filter(pk=thread.topic_id).update(last_post_at=now)
    record_event(
        actor=actor,
        action="community.post_create",
        partner=partner,
        obj=post,
        summary=f"Reply in board thread '{thread.title}'",
        after={"thread": thread.pk, "display": display, "length": len(body)},
    )
    return post


@transaction.atomic
def post_hide(*, actor, post_id, reason: str) -> Post:
    _moderator(actor)
    reason = _text(reason, field="reason", label=_("the reason for hiding the post"), max_length=500)
    post = Post.objects.select_for_update().filter(pk=post_id).first()
    if post is None:
        raise NotFound()
    if post.hidden:
        raise Conflict(_("This post is already hidden."), field="post")
    post.hidden, post.hidden_reason, post.hidden_by, post.hidden_at = True, reason, actor, timezone.now()
    post.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    record_event(
        actor=actor,
        action="community.post_hide",
        partner=post.partner,
        obj=post,
        summary=f"Board post {post.pk} hidden",
        before={"hidden": False},
        after={"hidden": True},
        reason=reason,
    )
    return post


@transaction.atomic
def post_unhide(*, actor, post_id, reason: str = "") -> Post:
    _moderator(actor)
    post = Post.objects.select_for_update().filter(pk=post_id).first()
    if post is None:
        raise NotFound()
    if not post.hidden:
        raise Conflict(_("This post is not hidden."), field="post")
    before = {"hidden": True, "hidden_reason": post.hidden_reason}
    post.hidden, post.hidden_reason, post.hidden_by, post.hidden_at = False, "", None, None
    post.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    record_event(
        actor=actor,
        action="community.post_unhide",
        partner=post.partner,
        obj=post,
        summary=f"Board post {post.pk} shown again",
        before=before,
        after={"hidden": False, "hidden_reason": ""},
        reason=(reason or "").strip()[:500],
    )
    return post


@transaction.atomic
def report_create(*, actor, post_id, reason: str) -> AbuseReport:
    """A reader reports a post to the moderators. One open report per person and post."""
    access = board_access(actor)
    post = Post.objects.select_related("thread__topic").filter(pk=post_id).first()
    if post is None or not access.sees(post.thread.topic):
        raise NotFound()
    reason = _text(reason, field="reason", label=_("what is wrong with the post"), max_length=2000)
    if AbuseReport.objects.filter(post=post, reporter=actor, status=ReportStatus.OPEN).exists():
        raise Conflict(_("You already reported this post; a moderator will look at it."), field="post")
    report = AbuseReport.objects.create(post=post, reporter=actor, reason=reason)
    record_event(
        actor=actor,
        action="community.report_create",
        partner=post.partner,
        obj=report,
        summary=f"Board post {post.pk} reported",
        after={"post": post.pk, "status": report.status},
        reason=reason,
    )
    return report


@transaction.atomic
def report_decide(*, actor, report_id, decision: str, note: str = "", hide_post: bool = False) -> AbuseReport:
    """Resolve (optionally hiding the post, with the note as the reason) or dismiss an abuse report."""
    _moderator(actor)
    report = AbuseReport.objects.select_for_update().select_related("post").filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    if decision not in (ReportStatus.RESOLVED, ReportStatus.DISMISSED):
        raise InvalidInput(_("Choose 'resolved' or 'dismissed'."), field="decision")
    check_transition(REPORT_TRANSITIONS, report.status, decision, label=lambda s: ReportStatus(s).label)
    note = _text(note, field="note", label=_("a note"), max_length=2000, required=hide_post)
    if hide_post and decision != ReportStatus.RESOLVED:
        raise InvalidInput(_("Only a resolved report hides the post."), field="hide_post")
    before = {"status": report.status}
    report.status, report.decided_by, report.decided_at, report.note = decision, actor, timezone.now(), note
    report.save(update_fields=["status", "decided_by", "decided_at", "note"])
    hidden = False
    if hide_post and not report.post.hidden:
        post = report.post
        post.hidden, post.hidden_reason, post.hidden_by, post.hidden_at = (
            True,
            note[:500],
            actor,
            timezone.now(),
        )
        post.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
        hidden = True
    record_event(
        actor=actor,
        action=f"community.report_{decision}",
        partner=report.post.partner,
        obj=report,
        summary=f"Abuse report {report.pk} {decision}" + (" and the post hidden" if hidden else ""),
        before=before,
        after={"status": decision, "post_hidden": hidden},
        reason=note,
    )
    return report
