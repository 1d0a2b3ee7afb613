from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    SCS = "scs", _("Supply chain security specialist")
    SUPERVISORY_SCS = "supervisory_scs", _("Supervisory SCS")
    VETTING_OFFICER = "vetting_officer", _("Vetting officer")
    PROGRAM_MANAGER = "program_manager", _("Program manager / analyst")
    INTELLIGENCE_ANALYST = "intelligence_analyst", _("Intelligence analyst")
    TARGETING_OFFICER = "targeting_officer", _("Targeting officer")
    AUDITOR = "auditor", _("Auditor (read-only)")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class TradeRole(models.TextChoices):
    COMPANY_OFFICER = "company_officer", _("Company officer")
    COMPANY_ADMIN = "company_admin", _("Company administrator")
    CONTRIBUTOR = "contributor", _("Contributor")
    CONSULTANT = "consultant", _("Consultant")
