"""The risk engine is pure: these run without Django."""

from greenlane.bpregister.risk import RiskInputs, rate


def codes(result):
    return [r.code for r in result.reasons]


def test_certified_member_in_low_threat_country_is_low():
    result = rate(RiskInputs(country="CA", country_threat=1, ctpat_status="certified", latest_audit="passed"))
    assert result.level == "low"
    assert codes(result) == ["ctpat_certified", "audit_passed"]
    assert result.score == 0


def test_non_member_without_questionnaire_in_high_threat_country_is_high():
    result = rate(RiskInputs(country="XX", country_threat=5))
    assert result.level == "high"
    assert codes(result) == ["country_threat", "no_program", "no_questionnaire", "no_audit"]
    assert result.score == 20 + 40 + 10 + 15 + 5


def test_questionnaire_gaps_are_capped():
    result = rate(RiskInputs(country="MX", questionnaire_answered=True, questionnaire_gaps=10))
    gap = next(r for r in result.reasons if r.code == "questionnaire_gaps")
    assert gap.points == 32 and gap.params == {"count": 10}


def test_suspended_member_and_failed_audit_and_overdue():
    result = rate(RiskInputs(country="US", ctpat_status="suspended", latest_audit="failed", overdue_days=12))
    assert codes(result) == ["program_lapsed", "no_questionnaire", "audit_failed", "reevaluation_overdue"]
    assert result.level == "high"


def test_active_foreign_program_counts_like_membership():
    result = rate(RiskInputs(country="DE", foreign_status="active", foreign_program="EU AEO"))
    assert codes(result) == ["mra_active"] and result.level == "low"


def test_delisted_foreign_member_is_lapsed():
    result = rate(RiskInputs(country="DE", foreign_status="inactive", foreign_program="EU AEO"))
    assert "program_lapsed" in codes(result)


def test_score_is_clamped():
    assert (
        rate(
            RiskInputs(
                country="X", country_threat=5, ctpat_status="suspended", latest_audit="failed", overdue_days=3
            )
        ).score
        == 100
    )
