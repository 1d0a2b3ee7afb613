from ninja import Router

router = Router(tags=["Community and libraries"])
