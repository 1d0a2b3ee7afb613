from django.apps import AppConfig


class MraConfig(AppConfig):
    name = "greenlane.mra"
    label = "mra"
    verbose_name = "Mutual recognition"
