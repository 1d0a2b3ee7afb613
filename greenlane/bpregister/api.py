from ninja import Router

router = Router(tags=["Business-partner register"])
