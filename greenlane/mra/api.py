from ninja import Router

router = Router(tags=["Mutual recognition"])
