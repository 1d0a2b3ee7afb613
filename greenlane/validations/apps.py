from django.apps import AppConfig


class ValidationsConfig(AppConfig):
    name = "greenlane.validations"
    label = "validations"
    verbose_name = "Validations"
