"""Notifications: a person's own; someone else's notification is 404 (the URL carries no company)."""

from tests.test_access_matrix import api, page

ROWS = [
    page("GET", "/notifications/", "authenticated=200 anon=302", scoped=False),
    page("POST", "/notifications/read-all/", "authenticated=302 anon=302", scoped=False),
    # The matrix's notification belongs to the company officer: everyone else gets 404.
    page("POST", "/notifications/{notification}/open/", "authenticated=404 company_officer=302 anon=302"),
    api("GET", "/notifications", "authenticated=200 anon=401", scoped=False),
    api("POST", "/notifications/read-all", "authenticated=200 anon=401", scoped=False),
    api("POST", "/notifications/{notification}/read", "authenticated=404 company_officer=200 anon=401"),
]


def build(ctx):
    from greenlane.notifications.models import Notification

    own = Notification.objects.create(recipient=ctx.officer, kind="matrix", title="Yours", url="/companies/")
    theirs = Notification.objects.create(recipient=ctx.foreign_officer, kind="matrix", title="Theirs")
    return {"notification": own.pk}, {"notification": theirs.pk}
