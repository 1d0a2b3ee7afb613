from ninja import Router

router = Router(tags=["Status verification"])
