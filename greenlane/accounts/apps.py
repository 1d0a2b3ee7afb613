from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "greenlane.accounts"
    label = "accounts"
