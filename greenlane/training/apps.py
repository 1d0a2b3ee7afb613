from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "greenlane.training"
    label = "training"
    verbose_name = "Training"
