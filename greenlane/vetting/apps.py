from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "greenlane.vetting"
    label = "vetting"
