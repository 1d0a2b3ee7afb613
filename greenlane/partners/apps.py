from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "greenlane.partners"
    label = "partners"
