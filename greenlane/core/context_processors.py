from django.conf import settings


def greenlane(request):
    user = getattr(request, "user", None)
    return {
        "demo_mode": settings.DEMO_MODE,
        "is_program_staff": bool(user and user.is_authenticated and getattr(user, "staff_role", "")),
    }
