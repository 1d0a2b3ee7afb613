from ninja import Router

router = Router(tags=["Workforce plan"])
