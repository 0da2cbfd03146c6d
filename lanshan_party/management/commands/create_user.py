"""Create an account from the command line: for the first administrator of a new installation, and for scripts.

The password never appears on the command line (where `ps` and the shell history would show it): it is read from
the environment variable LANSHAN_PASSWORD, or asked for twice when a terminal is attached.
"""

import getpass
import os
import sys
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from lanshan_party import audit
from lanshan_party.models import ROLE_ORG_KINDS, Role, User

PASSWORD_VARIABLE = "LANSHAN_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a user with a role, bound to one organization (by its name or its organization code). The password "
        f"is read from the environment variable {PASSWORD_VARIABLE}, or asked for when a terminal is attached."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values, help="the user's role")
        parser.add_argument(
            "--organization", required=True, help="the organization the user belongs to: its full name or its code"
        )
        parser.add_argument("--email", default="", help="e-mail address, for reminders")
        parser.add_argument("--full-name", default="", help="the person's name as shown in the application")
        parser.add_argument(
            "--may-reveal", action="store_true", help="allow viewing full ID numbers and phones (with a logged reason)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        role = options["role"]
        if not username:
            raise CommandError("Give the username.")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} exists already; change it in the application instead.")
        from organizations.models import OrgKind  # an app's model: imported when the command runs, not at start-up

        organization = find_organization(options["organization"])
        kinds = ROLE_ORG_KINDS[role]
        if organization.kind not in kinds:
            wanted = ", ".join(OrgKind(kind).name.lower() for kind in kinds)
            raise CommandError(
                f"A {role} user must belong to a {wanted} organization; {organization.name} is a "
                f"{OrgKind(organization.kind).name.lower()} organization."
            )
        email = options["email"].strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"{email!r} is not an e-mail address.") from None
        user = User(
            username=username,
            role=role,
            organization=organization,
            email=email,
            full_name=options["full_name"].strip(),
            may_reveal=options["may_reveal"],
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        password = self.read_password()
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password is refused: " + " ".join(error.messages)) from None
        user.set_password(password)
        with transaction.atomic():
            user.save()
            audit.record_create(user, actor=None, note="manage.py create_user")
        self.stdout.write(f"Created {role} user {username} in {organization.name}.")

    def read_password(self) -> str:
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                f"Set the password in the environment variable {PASSWORD_VARIABLE}, or run the command in a "
                "terminal to be asked for it. It is never given on the command line."
            )
        password = getpass.getpass("Password: ")
        if not password:
            raise CommandError("No password given.")
        if getpass.getpass("Password again: ") != password:
            raise CommandError("The two passwords differ.")
        return password


def find_organization(text: str) -> Any:
    """The active organization with this exact name, or else with this organization code."""
    from organizations.models import Organization

    text = text.strip()
    if not text:
        raise CommandError("Give the organization's name or code.")
    active = Organization.objects.filter(is_active=True)
    by_name = active.filter(name=text).first()
    if by_name is not None:
        return by_name
    by_code = list(active.filter(code=text)[:2])
    if len(by_code) == 1:
        return by_code[0]
    if by_code:
        raise CommandError(f"Several organizations have the code {text!r}: give the full name instead.")
    if Organization.objects.filter(name=text).exists():
        raise CommandError(f"{text} is dissolved: choose an active organization.")
    raise CommandError(f"No organization is named {text!r} or has that code.")
