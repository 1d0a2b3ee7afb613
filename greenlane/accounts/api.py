"""/api/v1/tokens: the caller's own API tokens. Someone else's token and a missing one are both 404."""

from __future__ import annotations

from ninja import Query, Router, Schema

from . import selectors, services
from .schemas import TokenCreatedOut, TokenCreateIn, TokenListOut, TokenOut

router = Router(tags=["tokens"])


class Paging(Schema):
    limit: int = 50
    offset: int = 0


@router.get("", response=TokenListOut, summary="List your API tokens (active first)")
def list_tokens(request, paging: Query[Paging]):
    page = selectors.token_page(request.auth, limit=paging.limit, offset=paging.offset)
    return {"items": page.items, "count": page.count, "limit": page.limit, "offset": page.offset}


@router.post(
    "", response={201: TokenCreatedOut}, summary="Create a token (the raw value is returned only once)"
)
def create_token(request, payload: TokenCreateIn):
    token, raw = services.api_token_create(actor=request.auth, user=request.auth, name=payload.name)
    return 201, {**TokenOut.from_orm(token).model_dump(), "token": raw}


@router.delete("/{token_id}", response={204: None}, summary="Revoke one of your tokens")
def revoke_token(request, token_id: int):
    services.api_token_revoke(actor=request.auth, token_id=token_id)
    return 204, None
