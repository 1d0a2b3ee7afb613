from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from greenlane.accounts import services
from greenlane.accounts.models import ApiToken, hash_token

from .helpers import events

pytestmark = pytest.mark.django_db

API = "/api/v1/tokens"


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# UI


def test_tokens_page_requires_sign_in():
    response = Client().get(reverse("accounts:tokens"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_create_token_in_ui_shows_raw_value_once(login):
    user = make_user("t@example.com")
    client = login(user)
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 200
    assert b"You have no API tokens yet" in response.content

    response = client.post(reverse("accounts:tokens"), {"name": "ERP link"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["raw_token"]
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == hash_token(raw)
    assert raw.encode() in response.content
    assert b"shown only this once" in response.content

    page = client.get(reverse("accounts:tokens"))
    assert raw.encode() not in page.content
    assert token.prefix.encode() in page.content
    assert b"ERP link" in page.content and b"Active" in page.content


def test_create_token_with_empty_name_shows_error(login):
    user = make_user("t@example.com")
    response = login(user).post(reverse("accounts:tokens"), {"name": "  "})
    assert response.status_code == 200
    assert b"Please correct the following" in response.content
    assert ApiToken.objects.count() == 0


def test_revoke_in_ui_asks_then_revokes(login):
    user = make_user("t@example.com")
    token, raw = services.api_token_create(actor=user, user=user, name="old")
    client = login(user)
    url = reverse("accounts:token_revoke", args=[token.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert b"Revoke token" in confirm.content
    token.refresh_from_db()
    assert token.revoked_at is None

    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("accounts:tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert b"Revoked" in client.get(reverse("accounts:tokens")).content
    assert Client().get(API, **_bearer(raw)).status_code == 401


def test_foreign_token_revoke_page_is_404_and_changes_nothing(login):
    owner, other = make_user("o@example.com"), make_user("x@example.com")
    token, _raw = services.api_token_create(actor=owner, user=owner, name="mine")
    client = login(other)
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert client.get(reverse("accounts:token_revoke", args=[999_999])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert events("api_token.revoke") == []


def test_tokens_page_query_count_is_constant(login, django_assert_max_num_queries):
    user = make_user("t@example.com")
    client = login(user)
    services.api_token_create(actor=user, user=user, name="one")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:tokens"))
    for n in range(20):
        services.api_token_create(actor=user, user=user, name=f"t{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("accounts:tokens"))
    assert len(many) == len(few)


# API


def test_api_list_create_use_and_revoke():
    user = make_user("t@example.com")
    _first, raw = services.api_token_create(actor=user, user=user, name="bootstrap")
    client = Client()

    response = client.post(
        API, data=json.dumps({"name": "CI"}), content_type="application/json", **_bearer(raw)
    )
    assert response.status_code == 201
    body = response.json()
    new_raw = body["token"]
    assert set(body) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
        "status",
        "token",
    }
    assert (body["name"], body["status"], body["revoked_at"]) == ("CI", "active", None)
    assert new_raw.startswith(body["prefix"])

    listing = client.get(API, **_bearer(new_raw)).json()
    assert listing["count"] == 2
    assert {t["name"] for t in listing["items"]} == {"bootstrap", "CI"}
    assert all("token" not in t and "token_hash" not in t for t in listing["items"])

    response = client.delete(f"{API}/{body['id']}", **_bearer(raw))
    assert response.status_code == 204
    response = client.get(API, **_bearer(new_raw))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert "active token" in response.json()["detail"]
    listing = client.get(API, **_bearer(raw)).json()
    assert {t["name"]: t["status"] for t in listing["items"]} == {"bootstrap": "active", "CI": "revoked"}


def test_api_foreign_and_missing_token_are_404_and_unchanged(auth_header):
    owner, other = make_user("o@example.com"), make_user("x@example.com")
    token, _raw = services.api_token_create(actor=owner, user=owner, name="mine")
    header = auth_header(other)
    for token_id in (token.pk, 999_999):
        response = Client().delete(f"{API}/{token_id}", **header)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    token.refresh_from_db()
    assert token.revoked_at is None
    assert events("api_token.revoke") == []
    listing = Client().get(API, **header).json()
    assert [t["name"] for t in listing["items"]] == ["test"]


@pytest.mark.parametrize(
    ("payload", "field"), [({"name": ""}, "name"), ({"name": "x" * 101}, "name"), ({}, "name")]
)
def test_api_create_bad_name_is_422_and_creates_nothing(auth_header, payload, field):
    user = make_user("t@example.com")
    header = auth_header(user)
    before = ApiToken.objects.count()
    response = Client().post(API, data=json.dumps(payload), content_type="application/json", **header)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["detail"]
    assert ApiToken.objects.count() == before


def test_api_requires_authentication():
    assert Client().get(API).status_code == 401
    assert Client().get(API, HTTP_AUTHORIZATION="Bearer glt_not-a-real-token").status_code == 401


def test_api_rejects_tokens_of_deactivated_users(auth_header):
    user = make_user("t@example.com")
    header = auth_header(user)
    user.is_active = False
    user.save()
    assert Client().get(API, **header).status_code == 401


def test_api_session_auth_for_staff_requires_mfa(login, staff):
    assert login(staff["scs"]).get(API).status_code == 200
    half = Client()
    half.force_login(staff["auditor"])
    assert half.get(API).status_code == 401
