from ninja import Router

router = Router(tags=["decisions"])
staff_router = Router(tags=["screening"])
