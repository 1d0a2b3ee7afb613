from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "greenlane.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_session

        # Session bookkeeping, not domain flow: start the idle and total clocks at sign-in, so the first
        # page after signing in does not have to write the session again.
        user_logged_in.connect(stamp_session, dispatch_uid="greenlane.accounts.stamp_session")
