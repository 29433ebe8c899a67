"""`flask demo ...`: load demo data into an empty database and print the demo logins."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.demo import seed

demo_cli = AppGroup("demo", help="Demo data for trying Umuhuza locally.")


@demo_cli.command("load")
@click.option("--professionals", default=220, show_default=True, help="How many professionals.")
@click.option("--seed", "seed_value", default=2026, show_default=True, help="Random seed.")
def load(professionals: int, seed_value: int) -> None:
    """Load demo data if the database holds no accounts yet."""
    if not seed.database_is_empty():
        click.echo("The database already holds accounts: demo data not loaded.")
        return
    seed.load_demo_data(professionals=professionals, seed=seed_value, echo=click.echo)
    click.echo("Demo data loaded.")


@demo_cli.command("logins")
def logins() -> None:
    """Print the demo accounts and their password."""
    click.echo("")
    click.echo(f"Demo logins (password for all: {seed.demo_password()})")
    for role, email in seed.DEMO_LOGINS:
        click.echo(f"  {role:<22} {email}")
    click.echo("")
