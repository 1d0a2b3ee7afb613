"""Kinds of business partners, risk levels, audit kinds and results."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessPartnerType(models.TextChoices):
    MANUFACTURER = "manufacturer", _("Manufacturer")
    SUPPLIER = "supplier", _("Supplier / vendor")
    IMPORTER = "importer", _("Importer")
    EXPORTER = "exporter", _("Exporter")
    CUSTOMS_BROKER = "customs_broker", _("Customs broker")
    FREIGHT_FORWARDER = "freight_forwarder", _("Freight forwarder / consolidator / NVOCC")
    THIRD_PARTY_LOGISTICS = "third_party_logistics", _("Third-party logistics provider")
    HIGHWAY_CARRIER = "highway_carrier", _("Highway carrier (trucker)")
    SEA_CARRIER = "sea_carrier", _("Sea carrier")
    AIR_CARRIER = "air_carrier", _("Air carrier")
    RAIL_CARRIER = "rail_carrier", _("Rail carrier")
    WAREHOUSE = "warehouse", _("Warehouse / cross-dock")
    PACKER = "packer", _("Packer / container stuffer")
    TERMINAL = "terminal", _("Port or terminal operator")
    SECURITY_SERVICE = "security_service", _("Security guard service")
    SERVICE_PROVIDER = "service_provider", _("Other service provider (IT, cleaning, maintenance)")
    OTHER = "other", _("Other")


CARRIER_TYPES = frozenset(
    {
        BusinessPartnerType.HIGHWAY_CARRIER,
        BusinessPartnerType.SEA_CARRIER,
        BusinessPartnerType.AIR_CARRIER,
        BusinessPartnerType.RAIL_CARRIER,
    }
)


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class AuditKind(models.TextChoices):
    SITE_VISIT = "site_visit", _("Site visit")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    QUESTIONNAIRE_REVIEW = "questionnaire_review", _("Questionnaire review")
    THIRD_PARTY = "third_party", _("Third-party audit report")
    CERTIFICATE_CHECK = "certificate_check", _("Program certificate check")


class AuditResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FINDINGS = "findings", _("Passed with findings")
    FAILED = "failed", _("Failed")


class QuestionnaireState(models.TextChoices):
    SENT = "sent", _("Sent, awaiting answers")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired unanswered")
