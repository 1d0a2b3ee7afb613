from ninja import Router

router = Router(tags=["Notifications"])
