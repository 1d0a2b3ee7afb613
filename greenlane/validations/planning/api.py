from ninja import Router

router = Router(tags=["Validation planning"])
