from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "greenlane.comms"
    label = "comms"
    verbose_name = "Communications"
