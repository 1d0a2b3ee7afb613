from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "greenlane.metrics.workforce"
    label = "workforce"
    verbose_name = "Workforce plan"
