"""/api/v1/targeting: score one shipment or a small batch in process."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["targeting"])
