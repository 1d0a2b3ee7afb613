from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The token's first characters, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    status: Literal["active", "revoked"]


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The raw token. Shown only in this response; store it now.")


class TokenListOut(Schema):
    items: list[TokenOut]
    count: int
    limit: int
    offset: int


class TokenCreateIn(Schema):
    name: str = Field(
        description="What the token is for, so you recognise it later (at most 100 characters)."
    )
