"""Signed, expiring e-mail verification links (no database state: the signature is the proof)."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.utils.translation import gettext_lazy as _

from greenlane.core.errors import InvalidInput

VERIFY_SALT = "greenlane.accounts.verify_email"
VERIFY_MAX_AGE = timedelta(days=3)


class VerificationLinkExpired(InvalidInput):
    code = "link_expired"


class VerificationLinkInvalid(InvalidInput):
    code = "link_invalid"


def make_verification_token(user) -> str:
    # The address is signed too, so a link stops working if the address changes.
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object({"u": user.pk, "e": user.email})


def read_verification_token(token: str) -> tuple[int, str]:
    """The (user id, e-mail) a link was issued for; refuses expired and tampered links."""
    try:
        data = signing.TimestampSigner(salt=VERIFY_SALT).unsign_object(token, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise VerificationLinkExpired(
            str(
                _("This confirmation link has expired (links are valid for 3 days). Ask for a new one below.")
            )
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise VerificationLinkInvalid(
            str(
                _(
                    "This confirmation link is not valid. "
                    "Copy the whole link from the e-mail, or ask for a new one."
                )
            )
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e"), str):
        raise VerificationLinkInvalid(str(_("This confirmation link is not valid. Ask for a new one below.")))
    return data["u"], data["e"]
