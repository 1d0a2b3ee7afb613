"""Bulletins and cargo security alerts: write, schedule, publish, withdraw, read, release, digest."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.accounts.models import User
from greenlane.audit.services import record_event
from greenlane.core.errors import InvalidInput, NotFound
from greenlane.core.transitions import check_transition
from greenlane.partners.models import Membership

from .. import audience as aud
from .. import markup, permissions
from ..choices import BULLETIN_EDITABLE, BULLETIN_TRANSITIONS, BulletinKind, BulletinStatus, Severity
from ..models import Bulletin, BulletinRead, DigestEntry
from ._common import aware, notify, optional_text, require_staff, text

S = BulletinStatus
TITLE_MAX, BODY_MAX = 200, 20000
NO_RIGHT = "Only program managers, supervisory specialists and intelligence analysts write bulletins."


@dataclass(frozen=True)
class BulletinInput:
    kind: str = BulletinKind.BULLETIN
    title: str = ""
    body: str = ""
    severity: str = ""
    audience: dict | None = None
    publish_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None


def _status_label(value: str) -> str:
    return str(S(value).label) if value in S.values else value


def _clean(data: BulletinInput) -> dict:
    errors: list[dict] = []

    def attempt(fn):
        try:
            return fn()
        except InvalidInput as exc:
            errors.extend(exc.errors or [{"field": exc.field, "message": exc.message}])
            return None

    kind = data.kind or BulletinKind.BULLETIN
    if kind not in BulletinKind.values:
        errors.append({"field": "kind", "message": _("Choose a bulletin or a cargo security alert.")})
    title = attempt(
        lambda: text(data.title, field="title", missing=_("Give the bulletin a title."), limit=TITLE_MAX)
    )
    body = attempt(lambda: text(data.body, field="body", missing=_("Write the text."), limit=BODY_MAX))
    severity = (data.severity or "").strip()
    if kind == BulletinKind.ALERT:
        if severity not in Severity.values:
            errors.append(
                {
                    "field": "severity",
                    "message": _("An alert needs a severity: low, moderate, high or critical."),
                }
            )
    elif severity:
        errors.append(
            {
                "field": "severity",
                "message": _("Only alerts carry a severity; leave it empty for a bulletin."),
            }
        )
    audience = attempt(lambda: aud.clean_audience(data.audience))
    publish_at = attempt(lambda: aware(data.publish_at, field="publish_at"))
    expires_at = attempt(lambda: aware(data.expires_at, field="expires_at"))
    if expires_at is not None and expires_at <= (publish_at or timezone.now()):
        errors.append({"field": "expires_at", "message": _("The expiry must come after publication.")})
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    assert audience is not None
    return {
        "kind": kind,
        "title": title,
        "body": body,
        "severity": severity if kind == BulletinKind.ALERT else "",
        "publish_at": publish_at,
        "expires_at": expires_at,
        **audience.columns(),
    }


def _snapshot(b: Bulletin) -> dict:
    return {
        "kind": b.kind,
        "title": b.title,
        "severity": b.severity,
        "status": b.status,
        "publish_at": b.publish_at,
        "expires_at": b.expires_at,
        "audience": b.audience,
        "audience_size": b.audience_size,
    }


def _locked(bulletin_id) -> Bulletin:
    try:
        pk = int(bulletin_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = Bulletin.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def bulletin_create(*, actor: User, data: BulletinInput) -> Bulletin:
    """A draft; nobody sees it until it is published."""
    require_staff(actor, permissions.BULLETIN_EDITORS, NO_RIGHT)
    fields = _clean(data)
    bulletin = Bulletin(author=actor, **fields)
    bulletin.audience_size = aud.audience_count(aud.audience_of(bulletin))
    bulletin.full_clean()
    bulletin.save()
    record_event(
        actor=actor,
        action="bulletin.create",
        obj=bulletin,
        summary=f"{bulletin.get_kind_display()} '{bulletin.title}' drafted",
        after=_snapshot(bulletin),
    )
    return bulletin


@transaction.atomic
def bulletin_update(*, actor: User, bulletin_id, data: BulletinInput) -> Bulletin:
    """Change a draft or a scheduled bulletin (text, audience, dates)."""
    require_staff(actor, permissions.BULLETIN_EDITORS, NO_RIGHT)
    bulletin = _locked(bulletin_id)
    if bulletin.status not in BULLETIN_EDITABLE:
        raise InvalidInput(
            _("A %(status)s bulletin can no longer be changed.")
            % {"status": _status_label(bulletin.status).lower()},
            field="status",
        )
    before = _snapshot(bulletin)
    for name, value in _clean(data).items():
        setattr(bulletin, name, value)
    if bulletin.status == S.SCHEDULED and (
        bulletin.publish_at is None or bulletin.publish_at <= timezone.now()
    ):
        raise InvalidInput(
            _("A scheduled bulletin needs a publication time in the future."), field="publish_at"
        )
    bulletin.audience_size = aud.audience_count(aud.audience_of(bulletin))
    bulletin.updated_at = timezone.now()
    bulletin.full_clean()
    bulletin.save()
    record_event(
        actor=actor,
        action="bulletin.update",
        obj=bulletin,
        summary=f"Bulletin '{bulletin.title}' changed",
        before=before,
        after=_snapshot(bulletin),
    )
    return bulletin


@transaction.atomic
def bulletin_publish(*, actor: User, bulletin_id, publish_at: dt.datetime | None = None) -> Bulletin:
    """Publish now, or schedule for a future publish_at. Alerts are e-mailed when they go out."""
    require_staff(actor, permissions.BULLETIN_EDITORS, NO_RIGHT)
    bulletin = _locked(bulletin_id)
    # No time given: a draft keeps the time written on it (maybe a schedule); a scheduled one goes out now.
    when = aware(publish_at, field="publish_at")
    if when is None and bulletin.status == S.DRAFT:
        when = bulletin.publish_at
    now = timezone.now()
    target = S.SCHEDULED if when is not None and when > now else S.PUBLISHED
    check_transition(BULLETIN_TRANSITIONS, bulletin.status, target, label=_status_label)
    when = when if (target == S.SCHEDULED and when is not None) else min(when or now, now)
    if bulletin.expires_at is not None and bulletin.expires_at <= when:
        raise InvalidInput(_("The expiry must come after publication."), field="expires_at")
    before = _snapshot(bulletin)
    bulletin.status = target
    bulletin.publish_at = when
    bulletin.audience_size = aud.audience_count(aud.audience_of(bulletin))
    if target == S.PUBLISHED:
        bulletin.published_at = now
    bulletin.updated_at = now
    bulletin.save()
    record_event(
        actor=actor,
        action="bulletin.schedule" if target == S.SCHEDULED else "bulletin.publish",
        obj=bulletin,
        summary=(
            f"Bulletin '{bulletin.title}' scheduled for {when:%Y-%m-%d %H:%M} UTC"
            if target == S.SCHEDULED
            else f"{bulletin.get_kind_display()} '{bulletin.title}' published to {bulletin.audience_size} companies"
        ),
        before=before,
        after=_snapshot(bulletin),
    )
    if target == S.PUBLISHED and bulletin.is_alert:
        _alert_on_commit(bulletin)
    return bulletin


@transaction.atomic
def bulletin_unschedule(*, actor: User, bulletin_id) -> Bulletin:
    """Back to draft before its time comes."""
    require_staff(actor, permissions.BULLETIN_EDITORS, NO_RIGHT)
    bulletin = _locked(bulletin_id)
    check_transition(BULLETIN_TRANSITIONS, bulletin.status, S.DRAFT, label=_status_label)
    if bulletin.publish_at is not None and bulletin.publish_at <= timezone.now():
        raise InvalidInput(
            _("Its publication time has passed: members may already have read it."), field="status"
        )
    before = _snapshot(bulletin)
    bulletin.status = S.DRAFT
    bulletin.updated_at = timezone.now()
    bulletin.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        action="bulletin.unschedule",
        obj=bulletin,
        summary=f"Bulletin '{bulletin.title}' unscheduled",
        before=before,
        after=_snapshot(bulletin),
    )
    return bulletin


@transaction.atomic
def bulletin_withdraw(*, actor: User, bulletin_id, reason: str = "") -> Bulletin:
    """Take a bulletin down (members no longer see it); a draft is discarded the same way."""
    require_staff(actor, permissions.BULLETIN_EDITORS, NO_RIGHT)
    bulletin = _locked(bulletin_id)
    check_transition(BULLETIN_TRANSITIONS, bulletin.status, S.WITHDRAWN, label=_status_label)
    reason = optional_text(reason, field="reason", limit=2000)
    before = _snapshot(bulletin)
    bulletin.status = S.WITHDRAWN
    bulletin.withdrawn_at = bulletin.updated_at = timezone.now()
    bulletin.save(update_fields=["status", "withdrawn_at", "updated_at"])
    record_event(
        actor=actor,
        action="bulletin.withdraw",
        obj=bulletin,
        summary=f"Bulletin '{bulletin.title}' withdrawn",
        before=before,
        after=_snapshot(bulletin),
        reason=reason,
    )
    return bulletin


def bulletins_release_due(*, now: dt.datetime | None = None) -> int:
    """Scheduled bulletins whose time has come become published; their alerts go out. Returns how many."""
    now = now or timezone.now()
    released = 0
    due = list(Bulletin.objects.filter(status=S.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True))
    for pk in due:
        with transaction.atomic():
            bulletin = Bulletin.objects.select_for_update().filter(pk=pk, status=S.SCHEDULED).first()
            if bulletin is None:
                continue
            before = _snapshot(bulletin)
            bulletin.status = S.PUBLISHED
            bulletin.published_at = bulletin.updated_at = now
            bulletin.audience_size = aud.audience_count(aud.audience_of(bulletin))
            bulletin.save(update_fields=["status", "published_at", "updated_at", "audience_size"])
            record_event(
                actor=None,
                action="bulletin.publish",
                obj=bulletin,
                summary=f"Scheduled bulletin '{bulletin.title}' published to {bulletin.audience_size} companies",
                before=before,
                after=_snapshot(bulletin),
            )
            if bulletin.is_alert:
                _alert_on_commit(bulletin)
            released += 1
    return released


def audience_users(bulletin: Bulletin):
    """Active trade users of the companies the bulletin reaches (one query)."""
    partners = aud.matching_partners(aud.audience_of(bulletin)).values("pk")
    return User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), partner_id__in=partners)),
        is_active=True,
        staff_role="",
    ).order_by("pk")


def _alert_on_commit(bulletin: Bulletin) -> None:
    """E-mail and notify the alert's audience once the publication has committed (once per alert)."""
    pk = bulletin.pk

    def send() -> None:
        with transaction.atomic():
            alert = Bulletin.objects.select_for_update().filter(pk=pk, alerted_at__isnull=True).first()
            if alert is None:
                return
            alert.alerted_at = timezone.now()
            alert.save(update_fields=["alerted_at"])
            notify(
                recipients=audience_users(alert).iterator(),
                kind="comms.alert",
                title=_("Cargo security alert (%(severity)s): %(title)s")
                % {"severity": alert.get_severity_display().lower(), "title": alert.title},
                body=markup.plain_excerpt(alert.body, 1000),
                url=reverse("comms:my_bulletins"),
            )

    transaction.on_commit(send)


def bulletin_read(*, actor: User, bulletin: Bulletin) -> BulletinRead:
    """Record the first time a user opens a bulletin (idempotent). The caller has checked visibility."""
    receipt, _created = BulletinRead.objects.get_or_create(bulletin=bulletin, user=actor)
    return receipt


def digest_send(*, now: dt.datetime | None = None, window_days: int = 30) -> dict[str, int]:
    """One e-mail per member user listing the live bulletins not yet sent to them (alerts went already).

    Idempotent: every bulletin sent is recorded per user; a second run sends nothing new. Bulletins older
    than the window, or published before the user joined, are not sent.
    """
    from ..selectors.bulletins import live_bulletins_q

    now = now or timezone.now()
    since = now - dt.timedelta(days=window_days)
    users = (
        User.objects.filter(is_active=True, staff_role="", memberships__isnull=False)
        .distinct()
        .order_by("pk")
    )
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    sent_mails = sent_items = 0
    for user in users.iterator():
        partners = [m.partner for m in Membership.objects.filter(user=user).select_related("partner")]
        candidates = list(
            Bulletin.objects.filter(
                live_bulletins_q(now), aud.q_for_partners(partners), kind=BulletinKind.BULLETIN
            )
            .filter(publish_at__gte=max(since, user.date_joined))
            .exclude(Exists(DigestEntry.objects.filter(user=user, bulletin=OuterRef("pk"))))
            .order_by("publish_at", "pk")
        )
        if not candidates:
            continue
        lines = [_("New program bulletins since your last digest:"), ""]
        for b in candidates:
            lines += [f"* {b.title} ({b.publish_at:%Y-%m-%d})", f"  {markup.plain_excerpt(b.body)}", ""]
        lines.append(f"{base}{reverse('comms:my_bulletins')}")
        with transaction.atomic():
            DigestEntry.objects.bulk_create(
                [DigestEntry(user=user, bulletin=b, sent_at=now) for b in candidates], ignore_conflicts=True
            )
            subject = _("Greenlane bulletins: %(n)s new") % {"n": len(candidates)}
            body = "\n".join(lines)
            address = user.email
            transaction.on_commit(functools.partial(send_mail, subject, body, None, [address]))
        sent_mails += 1
        sent_items += len(candidates)
    return {"emails": sent_mails, "bulletins": sent_items}
