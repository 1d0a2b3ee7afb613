from ninja import Router

router = Router(tags=["Performance measures"])
