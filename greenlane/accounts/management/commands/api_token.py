"""greenlane api-token --user EMAIL [--name NAME]: prints a new raw token and nothing else."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from greenlane.accounts import services
from greenlane.accounts.models import User
from greenlane.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue an API token for a user and print it (only once: it is stored hashed)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="The e-mail address of the token's owner.")
        parser.add_argument("--name", default="command line", help="What the token is for.")

    def handle(self, *args, user, name, **options):
        owner = User.objects.filter(email=user.strip().lower()).first()
        if owner is None:
            raise CommandError(
                f"No user with the e-mail address {user}. Create one with `greenlane create-user`."
            )
        try:
            _token, raw = services.api_token_create(actor=None, user=owner, name=name)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(raw)
