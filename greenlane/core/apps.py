from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "greenlane.core"
    label = "core"
