from django.apps import AppConfig


class SviConfig(AppConfig):
    name = "greenlane.svi"
    label = "svi"
    verbose_name = "Status verification"
