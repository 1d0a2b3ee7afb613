"""Bearer-token authentication: one query, revocation and deactivation at once, last use throttled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_user
from greenlane.accounts import services
from greenlane.accounts.auth import BearerTokenAuth, find_token
from greenlane.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


class _Request:
    pass


def test_find_token_loads_token_and_user_in_one_query():
    user = make_user("a@example.com")
    token, raw = services.api_token_create(actor=user, user=user, name="t")
    with CaptureQueriesContext(connection) as queries:
        found = find_token(raw)
        assert found is not None and found.pk == token.pk and found.user.pk == user.pk
        assert found.user.email == "a@example.com" and found.user.is_active is True
        assert found.revoked_at is None and found.created_at == token.created_at
    assert len(queries) == 1


def test_revoked_token_and_inactive_user_refused_at_once():
    user = make_user("b@example.com")
    token, raw = services.api_token_create(actor=user, user=user, name="t")
    auth = BearerTokenAuth()
    assert auth.authenticate(_Request(), raw) == user
    services.api_token_revoke(actor=user, token_id=token.pk)
    assert auth.authenticate(_Request(), raw) is None
    _token2, raw2 = services.api_token_create(actor=user, user=user, name="t2")
    assert auth.authenticate(_Request(), raw2) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert auth.authenticate(_Request(), raw2) is None
    assert auth.authenticate(_Request(), "not-a-token") is None
    assert auth.authenticate(_Request(), "") is None


def test_last_use_written_at_most_once_a_minute():
    user = make_user("c@example.com")
    token, raw = services.api_token_create(actor=user, user=user, name="t")
    auth = BearerTokenAuth()
    auth.authenticate(_Request(), raw)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        auth.authenticate(_Request(), raw)
    assert len(queries) == 1  # read only
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    auth.authenticate(_Request(), raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - dt.timedelta(seconds=1)
