from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    name = "greenlane.criteria"
    label = "criteria"
