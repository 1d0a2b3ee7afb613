"""API authentication: bearer tokens (stored hashed) and the browser session."""

from __future__ import annotations

from functools import cache

from django.db import connections, router
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from .models import ApiToken, User, hash_token

# A token's last use is recorded at most once a minute: the hot path stays read-only.
LAST_USED_EVERY_SECONDS = 60


@cache
def _token_sql() -> tuple[str, list[str], list[str]]:
    """One indexed query (token_hash is unique) returning the token and its user's columns.

    Plain SQL written once: compiling the equivalent ORM query cost as much as running it
    (bench/svi_load.py, docs/benchmarks.md). Revoked tokens and inactive users never match, so revoking
    a token or deactivating a user takes effect on the next request (nothing is cached between requests).
    """
    token_cols = [f.column for f in ApiToken._meta.concrete_fields]
    user_cols = [f.column for f in User._meta.concrete_fields]
    t, u = ApiToken._meta.db_table, User._meta.db_table
    user_fk = ApiToken._meta.get_field("user").column
    select = ", ".join([f't."{c}"' for c in token_cols] + [f'u."{c}"' for c in user_cols])
    sql = (
        f'SELECT {select} FROM "{t}" t JOIN "{u}" u ON u."id" = t."{user_fk}" '
        f'WHERE t."token_hash" = %s AND t."revoked_at" IS NULL AND u."is_active"'
    )
    return (
        sql,
        [f.attname for f in ApiToken._meta.concrete_fields],
        [f.attname for f in User._meta.concrete_fields],
    )


def find_token(raw: str) -> ApiToken | None:
    """The active token with this raw value, its user loaded (no further query), or None."""
    sql, token_names, user_names = _token_sql()
    alias = router.db_for_read(ApiToken)
    connection = connections[alias]
    with connection.cursor() as cur:
        cur.execute(sql, [hash_token(raw)])
        row = cur.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, convs, field in _converters(alias):
        for conv in convs:
            values[i] = conv(values[i], field, connection)
    n = len(token_names)
    token = ApiToken.from_db(alias, token_names, values[:n])
    token.user = User.from_db(alias, user_names, values[n:])
    return token


_CONVERTERS: dict[str, list] = {}


def _converters(alias: str) -> list:
    """The value conversions the ORM would apply to these columns on this database (e.g. SQLite's
    booleans and dates), computed once per database: [(column index, converters, field)]."""
    if alias not in _CONVERTERS:
        connection = connections[alias]
        fields = list(ApiToken._meta.concrete_fields) + list(User._meta.concrete_fields)
        found = []
        for i, field in enumerate(fields):
            col = field.get_col(field.model._meta.db_table)
            convs = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            if convs:
                found.append((i, convs, field))
        _CONVERTERS[alias] = found
    return _CONVERTERS[alias]


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not token:
            return None
        found = find_token(token)
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > LAST_USED_EVERY_SECONDS:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser session, with CSRF; staff must have passed MFA in that session."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if user.staff_role and not user.is_verified():
            return None
        return user
