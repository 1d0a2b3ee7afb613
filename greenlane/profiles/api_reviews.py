"""Annual review API: company side under /api/v1/partners/{id}/reviews, staff side under /api/v1/reviews."""

from ninja import Router

router = Router(tags=["annual reviews"])
staff_router = Router(tags=["annual reviews"])
