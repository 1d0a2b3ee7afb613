from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "greenlane.profiles"
    label = "profiles"

    def ready(self) -> None:
        from greenlane.partners import readiness

        from .readiness import profile_step

        readiness.register_step(profile_step)
