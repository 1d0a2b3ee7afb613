"""Human wording of the risk reasons (the pure engine returns codes and parameters)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def describe(reason: dict) -> str:
    code, p = reason.get("code", ""), reason.get("params", {})
    texts = {
        "country_threat": lambda: _("Country %(country)s has threat level %(level)s of 5.") % p,
        "ctpat_certified": lambda: _("Certified C-TPAT member."),
        "mra_active": lambda: _("Active member of %(program)s (mutual recognition).") % p,
        "program_lapsed": lambda: _("%(program)s status: %(status)s.") % p,
        "no_program": lambda: _("Not a member of C-TPAT or of a recognised foreign program."),
        "no_questionnaire": lambda: _("No security questionnaire answered."),
        "questionnaire_gaps": lambda: _("%(count)s questionnaire answers are “no”.") % p,
        "audit_failed": lambda: _("The latest audit failed."),
        "audit_findings": lambda: _("The latest audit had findings."),
        "audit_passed": lambda: _("The latest audit passed."),
        "no_audit": lambda: _("No audit on record."),
        "reevaluation_overdue": lambda: _("Re-evaluation overdue by %(days)s days.") % p,
    }
    make = texts.get(code)
    try:
        return make() if make else code
    except (KeyError, TypeError):
        return code
