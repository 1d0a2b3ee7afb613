from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "greenlane.community"
    label = "community"
    verbose_name = "Community and libraries"
