from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    CERTIFIED = "certified", _("Certified")
    DENIED = "denied", _("Denied")
    REFERRED = "referred", _("Referred to a specialist")


class DecisionKind(models.TextChoices):
    AUTOMATED = "automated", _("Automated")
    SPECIALIST = "specialist", _("Specialist")


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AWAITING_COMPANY = "awaiting_company", _("Waiting for the company")
    DENIAL_PROPOSED = "denial_proposed", _("Denial proposed, awaiting supervisor")
    DECIDED = "decided", _("Decided")


REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.OPEN: frozenset(
        {ReferralStatus.AWAITING_COMPANY, ReferralStatus.DENIAL_PROPOSED, ReferralStatus.DECIDED}
    ),
    ReferralStatus.AWAITING_COMPANY: frozenset(
        {ReferralStatus.OPEN, ReferralStatus.DENIAL_PROPOSED, ReferralStatus.DECIDED}
    ),
    ReferralStatus.DENIAL_PROPOSED: frozenset({ReferralStatus.OPEN, ReferralStatus.DECIDED}),
    ReferralStatus.DECIDED: frozenset(),
}


class SuspensionCause(models.TextChoices):
    SECURITY_INCIDENT = "security_incident", _("Security incident (e.g. a narcotics seizure)")
    FAILED_VALIDATION = "failed_validation", _("Failed validation")
    MISSED_ANNUAL_REVIEW = "missed_annual_review", _("Missed annual profile review")
    FALSE_INFORMATION = "false_information", _("False or misleading information")
    CRITERIA_NOT_MET = "criteria_not_met", _("No longer meets the minimum security criteria")


class Benefit(models.TextChoices):
    RISK_SCORE_CREDIT = "risk_score_credit", _("Reduced risk score (targeting credit)")
    FEWER_EXAMS = "fewer_exams", _("Fewer compliance examinations")
    FRONT_OF_LINE = "front_of_line", _("Front-of-line inspection")
    FAST_LANE = "fast_lane", _("FAST lane eligibility")
    GREEN_LANE = "green_lane", _("Green lane in periods of heightened threat")
    SVI = "svi", _("Status Verification Interface")
    MRA = "mra", _("Recognition under mutual recognition arrangements")


class AppealSubject(models.TextChoices):
    DENIAL = "denial", _("Denial of benefits")
    SUSPENSION = "suspension", _("Suspension")
    REMOVAL = "removal", _("Removal")


class AppealStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    UPHELD = "upheld", _("Decision upheld")
    OVERTURNED = "overturned", _("Decision overturned")
    WITHDRAWN = "withdrawn", _("Withdrawn by the company")


class PlanStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class SuspensionEnd(models.TextChoices):
    REINSTATED = "reinstated", _("Reinstated")
    REMOVED = "removed", _("Removed")
    OVERTURNED = "overturned", _("Overturned on appeal")
    WITHDRAWN = "withdrawn", _("Company withdrew")
