"""After the automated decision: the specialist's referral work, suspension, removal, reinstatement,
re-application and appeals. Each service is one transaction, checks who may act and what the state
allows, and records the audit event; partner status moves through partners' transition table.

Lock order, everywhere: the referral, plan or appeal row first, then the partner row.
"""

from ._common import ASSIGNABLE, MAX_INFO_DAYS, SPECIALISTS, SUPERVISORS
from .appeals import appeal_decide, appeal_file, appeal_withdraw
from .membership import (
    action_plan_review,
    action_plan_submit,
    check_enrollment_allowed,
    check_reapply_allowed,
    partner_remove,
    removal_reapply,
    suspension_reinstate,
    suspension_start,
)
from .referrals import (
    info_request_answer,
    referral_approve_denial,
    referral_certify,
    referral_propose_denial,
    referral_reassign,
    referral_request_info,
    referral_send_back,
)

__all__ = [
    "ASSIGNABLE",
    "MAX_INFO_DAYS",
    "SPECIALISTS",
    "SUPERVISORS",
    "action_plan_review",
    "action_plan_submit",
    "appeal_decide",
    "appeal_file",
    "appeal_withdraw",
    "check_enrollment_allowed",
    "check_reapply_allowed",
    "info_request_answer",
    "partner_remove",
    "referral_approve_denial",
    "referral_certify",
    "referral_propose_denial",
    "referral_reassign",
    "referral_request_info",
    "referral_send_back",
    "removal_reapply",
    "suspension_reinstate",
    "suspension_start",
]
