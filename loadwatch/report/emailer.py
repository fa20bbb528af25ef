"""Send a rendered report by SMTP: a plain-text part and an HTML part with inline charts.

The password comes from the environment variable the config names, is handed to
``smtplib`` and nothing else: no message, log line or exception carries it
(errors are rebuilt as one line from what we know, never from the server's
reply to the login).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage

from loadwatch.config import EmailSettings
from loadwatch.errors import LoadwatchError
from loadwatch.report import Rendered, html, wording
from loadwatch.report.model import Chart

#: seconds to wait for the mail server at each step
TIMEOUT_S = 30.0
#: the SMTPS port, where TLS starts at once rather than by STARTTLS
IMPLICIT_TLS_PORT = 465
CID_DOMAIN = "loadwatch.report"


class EmailError(LoadwatchError):
    """The report could not be sent (server unreachable, login refused...)."""


def content_id(chart: Chart) -> str:
    """The chart's Content-ID without brackets, as ``cid:`` URLs name it."""
    return f"{chart.key}@{CID_DOMAIN}"


def build_message(
    rendered: Rendered,
    settings: EmailSettings,
    *,
    date_header: str | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """``multipart/alternative``: text, then ``multipart/related`` HTML with the PNGs.

    ``date_header`` and ``message_id`` come from the caller (this module reads no clock).
    """
    sender = settings.sender or settings.username
    if not sender:
        raise EmailError("set email.from in the config: the address the report is sent from")
    if not settings.to:
        raise EmailError("set email.to in the config: who receives the report")
    report = rendered.report
    message = EmailMessage()
    message["Subject"] = f"loadwatch {report.label}: {wording.LIGHT_WORDS[report.light]}"
    message["From"] = sender
    message["To"] = ", ".join(settings.to)
    if date_header:
        message["Date"] = date_header
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(rendered.text)
    # the desktop drawings only: few mail clients honour <picture>, and the rest would
    # list the phone-width copies as attachments
    page = html.render(
        report,
        list(rendered.charts),
        image_src=lambda c: f"cid:{content_id(c)}",
        narrow_src=None,
    )
    message.add_alternative(page, subtype="html")
    # the part add_alternative just made; add_related turns it into multipart/related
    html_part = next(p for p in message.iter_parts() if p.get_content_type() == "text/html")
    if not isinstance(html_part, EmailMessage):  # pragma: no cover - the email package's shape
        raise TypeError("the HTML alternative is not a message part")
    for chart in rendered.charts:
        html_part.add_related(
            chart.png,
            maintype="image",
            subtype="png",
            cid=f"<{content_id(chart)}>",
            filename=f"{chart.key}.png",
            disposition="inline",
        )
    return message


def password_from(settings: EmailSettings, environ: Mapping[str, str]) -> str | None:
    """The SMTP password from the environment variable the config names (None: no login)."""
    if not settings.username:
        return None
    if not settings.password_env:
        raise EmailError(
            "email.username is set but email.password_env is not: name the environment "
            "variable that holds the password"
        )
    password = environ.get(settings.password_env)
    if not password:
        raise EmailError(
            f"the environment variable {settings.password_env} (email.password_env) is not set"
        )
    return password


def send(message: EmailMessage, settings: EmailSettings, password: str | None) -> None:
    """Deliver ``message``; every failure becomes one ``EmailError`` line."""
    where = f"{settings.host}:{settings.port}"
    try:
        _deliver(message, settings, password)
    except smtplib.SMTPAuthenticationError:
        raise EmailError(
            f"the mail server {where} refused the login for {settings.username}; check the "
            f"username and the password in ${settings.password_env}"
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise EmailError(
            f"the mail server {where} does not offer what the config asks for (STARTTLS or "
            "login); check email.starttls and email.port"
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(sorted(exc.recipients))
        raise EmailError(f"the mail server {where} refused the recipient(s) {refused}") from None
    except smtplib.SMTPSenderRefused as exc:
        raise EmailError(f"the mail server {where} refused the sender {exc.sender}") from None
    except smtplib.SMTPResponseException as exc:
        raise EmailError(f"the mail server {where} answered with error {exc.smtp_code}") from None
    except smtplib.SMTPException as exc:
        raise EmailError(f"sending through {where} failed: {type(exc).__name__}") from None
    except ssl.SSLError as exc:
        raise EmailError(f"TLS with the mail server {where} failed: {exc.reason}") from None
    except ConnectionRefusedError:
        raise EmailError(f"cannot reach the mail server {where}: connection refused") from None
    except TimeoutError:
        raise EmailError(f"the mail server {where} did not answer in time") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise EmailError(f"cannot reach the mail server {where}: {reason}") from None


def _deliver(message: EmailMessage, settings: EmailSettings, password: str | None) -> None:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.port == IMPLICIT_TLS_PORT:
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_S,
                                  context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
    with client:
        if settings.starttls and settings.port != IMPLICIT_TLS_PORT:
            client.starttls(context=context)
        if settings.username and password is not None:
            client.login(settings.username, password)
        client.send_message(message)


def send_report(
    rendered: Rendered,
    settings: EmailSettings,
    environ: Mapping[str, str],
    *,
    date_header: str | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """Build and send the report e-mail; returns the message sent."""
    password = password_from(settings, environ)
    message = build_message(rendered, settings, date_header=date_header, message_id=message_id)
    send(message, settings, password)
    return message
