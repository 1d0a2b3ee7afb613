from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "greenlane.metrics"
    label = "metrics"
    verbose_name = "Performance measures"
