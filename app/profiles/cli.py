"""`flask profiles reconfirm`: ask members to confirm their availability, mark the silent ones.
`flask profiles cv-eval`: how well the CV reader reads a corpus of CVs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.database import utcnow
from app.extensions import db
from app.profiles import services

profiles_cli = AppGroup("profiles", help="Diaspora professionals' profiles.")


@profiles_cli.command("reconfirm")
def reconfirm() -> None:
    """Send due re-confirmation requests and reminders, then mark unanswered profiles."""
    now = utcnow()
    sent = services.send_reconfirmation_requests(now)
    db.session.commit()
    marked = services.mark_unconfirmed(now)
    db.session.commit()
    click.echo(
        f"Requests sent: {sent['requests']}, reminders sent: {sent['reminders']}, "
        f"marked unconfirmed: {marked}."
    )


@profiles_cli.command("cv-eval")
@click.option(
    "--corpus",
    "corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Directory of CVs (PDF/DOCX, or .txt sources) with a .json expectation each; "
    "default: tests/profiles/cv_corpus.",
)
@click.option("--show-misses", is_flag=True, help="List every missed and extra item.")
def cv_eval(corpus: Path | None, show_misses: bool) -> None:
    """Print the CV reader's precision, recall and F1 per field and CV language."""
    from app.profiles import cv
    from app.profiles import cv_eval as evaluation

    directory = corpus or Path(current_app.root_path).parent / "tests" / "profiles" / "cv_corpus"
    with tempfile.TemporaryDirectory() as work:
        files = evaluation.corpus_files(directory, Path(work))
        report = evaluation.evaluate(files, lambda data: cv.extract(data).text)
    click.echo(f"{report.files} CVs from {directory}")
    click.echo(report.table())
    if show_misses:
        click.echo("\n".join(report.misses))
    failures = report.failures()
    click.echo("Targets met." if not failures else "Targets missed: " + "; ".join(failures))
