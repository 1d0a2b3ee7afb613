"""The application step the security profile adds to the partner's checklist."""

from __future__ import annotations

from django.utils.translation import gettext as _

from greenlane.partners.readiness import Step

from .choices import ProfileState
from .models import SecurityProfile


def profile_step(partner) -> Step:
    profile = (
        SecurityProfile.objects.filter(partner=partner, is_current=True).only("state", "revision").first()
    )
    if profile is None:
        return Step(
            "profile", _("Security profile"), False, _("Answer the security criteria for your entity type.")
        )
    if profile.state != ProfileState.SUBMITTED:
        return Step(
            "profile",
            _("Security profile"),
            False,
            _("Complete and submit revision %(r)d of the security profile.") % {"r": profile.revision},
        )
    return Step("profile", _("Security profile"), True)
