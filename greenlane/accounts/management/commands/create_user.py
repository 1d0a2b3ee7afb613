"""greenlane create-user EMAIL --password P [--staff-role ROLE] [--field-office NAME] [--name "Full Name"]"""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from greenlane.accounts import selectors, services
from greenlane.accounts.choices import StaffRole
from greenlane.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a user with a confirmed e-mail address; with --staff-role, a program staff account."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--password", help="The password (asked for when omitted and a terminal is attached)."
        )
        parser.add_argument("--staff-role", default="", help="One of: " + ", ".join(StaffRole.values))
        parser.add_argument("--field-office", default="", help="Field office name or code, e.g. 'New York'.")
        parser.add_argument("--name", default="", help="Full name.")

    def handle(self, *args, email, password, staff_role, field_office, name, **options):
        if staff_role and staff_role not in StaffRole.values:
            raise CommandError(
                f"Unknown staff role '{staff_role}'. Known roles: {', '.join(StaffRole.values)}."
            )
        office = None
        if field_office:
            office = selectors.field_office_by_name(field_office)
            if office is None:
                known = ", ".join(o.name for o in selectors.active_field_offices())
                raise CommandError(f"Unknown field office '{field_office}'. Known offices: {known}.")
        if password is None:
            password = self._prompt_password()
        try:
            user = services.user_create(
                actor=None,
                email=email,
                password=password,
                full_name=name,
                staff_role=staff_role,
                field_office=office,
                verified=True,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        kind = f"staff ({user.get_staff_role_display()})" if user.staff_role else "trade"
        self.stdout.write(f"Created {kind} user {user.email}.")

    def _prompt_password(self) -> str:
        if not self.stdin_is_tty():
            raise CommandError("Give --password, or run in a terminal to be asked for it.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first

    @staticmethod
    def stdin_is_tty() -> bool:
        import sys

        return sys.stdin.isatty()
