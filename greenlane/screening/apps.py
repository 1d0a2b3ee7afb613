from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "greenlane.screening"
    label = "screening"
