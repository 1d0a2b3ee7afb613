from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "greenlane.audit"
    label = "audit"
