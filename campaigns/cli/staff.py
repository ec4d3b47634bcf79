"""``flask staff …``: staff accounts from the command line."""

from __future__ import annotations

import sys

import click

from ..errors import ValidationError
from ..models import Role
from ..staff_accounts.staff import create_staff
from .boundary import CommandGroup

staff_cli = CommandGroup("staff", help="Manage staff accounts.")


@staff_cli.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.STAFF.value,
    show_default=True,
)
@click.option("--name", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a staff account; the password is asked for (or read from stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        staff = create_staff(email, password, Role(role), name)
    except ValidationError as exc:
        field, message = next(iter(exc.errors.items()))
        raise click.ClickException(f"{field}: {message}") from None
    click.echo(f"Created {staff.role.value} account {staff.email}.")
