"""SVI choices: what a participant shares, link statuses and their transitions, delivery states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShareLevel(models.TextChoices):
    STATUS_ONLY = "status_only", _("Name and status only")
    STATUS_TIER = "status_tier", _("Name, status and tier")
    STATUS_TIER_CONTACT = "status_tier_contact", _("Name, status, tier and contact")


class LinkStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined (requester blocked)")
    BLOCKED = "blocked", _("Blocked")
    ENDED = "ended", _("Ended")


L = LinkStatus

# Allowed (from -> to) moves of a monitoring link. A declined or blocked link keeps the requester out
# until the target unblocks it (-> ended, after which a new request may be sent).
LINK_TRANSITIONS: dict[str, frozenset[str]] = {
    L.PENDING: frozenset({L.ACCEPTED, L.DECLINED, L.BLOCKED, L.ENDED}),
    L.ACCEPTED: frozenset({L.BLOCKED, L.ENDED}),
    L.DECLINED: frozenset({L.ENDED}),
    L.BLOCKED: frozenset({L.ENDED}),
    L.ENDED: frozenset(),
}
# A link in one of these statuses occupies the (requester, target) pair.
OPEN_LINK_STATUSES = frozenset({L.PENDING, L.ACCEPTED, L.DECLINED, L.BLOCKED})
BLOCKING_STATUSES = frozenset({L.DECLINED, L.BLOCKED})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to send")
    RETRYING = "retrying", _("Failed; will retry")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed; gave up")
    REFUSED = "refused", _("Refused (address not allowed)")


class ChangeKind(models.TextChoices):
    CERTIFIED = "certified", _("Certified")
    SUSPENDED = "suspended", _("Suspended")
    REINSTATED = "reinstated", _("Reinstated")
    REMOVED = "removed", _("Removed")
    WITHDRAWN = "withdrawn", _("Withdrew")
    TIER_CHANGED = "tier_changed", _("Tier changed")
    OTHER = "other", _("Status changed")


class WebhookEvent(models.TextChoices):
    STATUS_CHANGED = "partner.status_changed", _("A monitored partner's status or tier changed")
    LINK_CHANGED = "link.changed", _("A monitoring request was accepted, declined or ended")


# Shown status of a partner to others (never more than consent allows).
SHOWN_CERTIFIED = "certified"
SHOWN_SUSPENDED = "suspended"
SHOWN_NOT_CERTIFIED = "not certified"
SHOWN_NOT_PARTICIPATING = "not participating"
SHOWN_NOT_FOUND = "not found"
