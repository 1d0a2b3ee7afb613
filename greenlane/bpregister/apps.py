from django.apps import AppConfig


class BpregisterConfig(AppConfig):
    name = "greenlane.bpregister"
    label = "bpregister"
    verbose_name = "Business-partner register"
