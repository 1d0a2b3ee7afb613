from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "greenlane.validations.planning"
    label = "planning"
    verbose_name = "Validation planning"
