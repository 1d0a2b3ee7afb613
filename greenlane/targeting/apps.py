from django.apps import AppConfig


class TargetingConfig(AppConfig):
    name = "greenlane.targeting"
    label = "targeting"
    verbose_name = "Targeting"
