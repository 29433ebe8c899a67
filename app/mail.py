"""A small mail module: render a message from templates and deliver it over SMTP (or to the log)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

log = logging.getLogger("umuhuza.mail")


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    to: str
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    message_id: str | None = None


class MailDeliveryError(Exception):
    """SMTP refused or could not be reached; the message was not delivered."""


def render_email(
    to: str, subject: str, template: str, *, locale: str | None = None, **context: object
) -> OutgoingEmail:
    """Render mail/<template>.txt (and .html when present) in the recipient's locale."""
    with force_locale(locale or "en"):
        text = render_template(f"mail/{template}.txt", **context)
        html = (
            render_template(f"mail/{template}.html", **context)
            if _has_template(f"mail/{template}.html")
            else None
        )
    return OutgoingEmail(to=to, subject=subject, text=text, html=html)


def _has_template(name: str) -> bool:
    return name in current_app.jinja_env.list_templates()


def build_message(email: OutgoingEmail, sender: str) -> EmailMessage:
    """Build the MIME message with a plain-text part and an optional HTML alternative."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = email.message_id or make_msgid(domain="umuhuza.gov.rw")
    for name, value in email.headers.items():
        message[name] = value
    message.set_content(email.text)
    if email.html:
        message.add_alternative(email.html, subtype="html")
    return message


def send_email(email: OutgoingEmail) -> str:
    """Deliver the email now and return its Message-ID; raises MailDeliveryError on failure."""
    config = current_app.config
    message = build_message(email, config["MAIL_DEFAULT_SENDER"])
    if config["MAIL_BACKEND"] == "log":
        log.info("Email (not sent, log backend) to %s: %s\n%s", email.to, email.subject, email.text)
        return str(message["Message-ID"])
    try:
        _deliver(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailDeliveryError(str(exc)) from exc
    return str(message["Message-ID"])


def _deliver(message: EmailMessage) -> None:
    cfg = current_app.config
    host, port = str(cfg["MAIL_SERVER"]), int(cfg["MAIL_PORT"])
    timeout = float(cfg["MAIL_TIMEOUT_SECONDS"])
    smtp: smtplib.SMTP
    if cfg["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if cfg["MAIL_USERNAME"]:
            smtp.login(str(cfg["MAIL_USERNAME"]), str(cfg["MAIL_PASSWORD"] or ""))
        smtp.send_message(message)
