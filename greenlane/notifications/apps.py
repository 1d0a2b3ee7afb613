from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "greenlane.notifications"
    label = "notifications"
    verbose_name = "Notifications"
