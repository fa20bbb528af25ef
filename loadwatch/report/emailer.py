"""Send a rendered report by SMTP: a plain-text part and an HTML part with inline charts.

The password comes from the environment variable the config names, is handed to
``smtplib`` and nothing else: no message, log line or exception carries it
(errors are rebuilt as one line from what we know, never from the server's
reply to the login).
"""

from __future__ import annotations

import ipaddress
import re
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


class _LoginNotAscii(Exception):
    """The login could not be encoded (kept apart from other encoding errors)."""


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
    if not _ENV_NAME.fullmatch(settings.password_env):
        # most likely the password itself, typed into the wrong key: never repeat it
        raise EmailError(
            "email.password_env must be the name of an environment variable (letters, digits "
            "and _); if the password is written there, remove it from the config and put it "
            "in an environment variable instead (the value is not shown)"
        )
    password = environ.get(settings.password_env)
    if not password:
        raise EmailError(
            f"the environment variable {variable_shown(settings)} (email.password_env) is not set"
        )
    return password


#: what an environment variable's name may be
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
#: names written as such names are (SMTP_PASSWORD); any other may be a typed password
_USUAL_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")


def variable_shown(settings: EmailSettings) -> str:
    """``password_env`` as messages may quote it: a usual name as it is, else not at all."""
    name = settings.password_env or ""
    return name if _USUAL_ENV_NAME.fullmatch(name) else "named in the config"


def _loopback(host: str) -> bool:
    if host.lower().rstrip(".") in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def send(message: EmailMessage, settings: EmailSettings, password: str | None) -> None:
    """Deliver ``message``; every failure becomes one ``EmailError`` line."""
    where = f"{settings.host}:{settings.port}"
    encrypted = settings.starttls or settings.port == IMPLICIT_TLS_PORT
    if password is not None and not encrypted and not _loopback(settings.host):
        raise EmailError(
            f"refusing to send the mail login to {where} in clear text: set email.starttls = "
            "true (or use port 465, TLS from the start)"
        )
    try:
        _deliver(message, settings, password)
    except _LoginNotAscii:
        raise EmailError(
            "the mail username or password holds a character outside ASCII, which SMTP "
            "logins cannot carry; use an ASCII password (or an app password)"
        ) from None
    except smtplib.SMTPAuthenticationError:
        raise EmailError(
            f"the mail server {where} refused the login for {settings.username}; check the "
            f"username and the password in ${variable_shown(settings)}"
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
    except UnicodeError:
        # a host name IDNA cannot encode, or addresses the server cannot take as UTF-8
        raise EmailError(
            f"sending through {where} failed: the host name or an address holds characters "
            "this server cannot carry"
        ) from None
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
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_S, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
    with client:
        if settings.starttls and settings.port != IMPLICIT_TLS_PORT:
            client.starttls(context=context)
        if settings.username and password is not None:
            try:
                client.login(settings.username, password)
            except UnicodeEncodeError:
                # smtplib encodes logins as ASCII; its message quotes the character
                raise _LoginNotAscii from None
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
