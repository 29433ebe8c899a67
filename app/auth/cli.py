"""`flask users ...`: create staff and admin accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.auth import services
from app.auth.models import Role
from app.auth.passwords import password_problem
from app.errors import DomainError
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


def _create(email: str, password: str, full_name: str, role: Role) -> None:
    # The same policy as sign-up: a staff password guards far more personal data.
    problem = password_problem(password)
    if problem is not None:
        raise click.BadParameter(problem, param_hint="--password")
    try:
        user = services.create_staff_account(email, password, role, full_name=full_name)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {role.value} account {user.email} (id {user.id}).")


@users_cli.command("create-staff")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "full_name", default="", help="Full name.")
def create_staff(email: str, password: str, full_name: str) -> None:
    """Create an RCA staff account."""
    _create(email, password, full_name, Role.RCA_STAFF)


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "full_name", default="", help="Full name.")
def create_admin(email: str, password: str, full_name: str) -> None:
    """Create an administrator account."""
    _create(email, password, full_name, Role.ADMIN)
