"""``loadwatch report --email`` against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import base64
import shutil
import socket
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from test_report import parse_html
from test_report_cli import AS_OF, calm_rows, write_log
from typer.testing import CliRunner

from loadwatch.cli import app
from loadwatch.report import emailer

USER = "runner@example.org"
PASSWORD = "s3cret-Pa55word-never-shown"
PASSWORD_ENV = "LOADWATCH_TEST_SMTP_PASSWORD"


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class Logins:
    """Accepts exactly USER / PASSWORD and remembers what was tried."""

    def __init__(self) -> None:
        self.tried: list[tuple[str, str]] = []

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.tried.append((login, password))
        # handled=False: aiosmtpd itself answers 535 to a failed login
        return AuthResult(success=(login, password) == (USER, PASSWORD), handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, Logins, int]]:
    handler, logins = Inbox(), Logins()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=logins,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield handler, logins, port
    finally:
        controller.stop()


def _rows() -> list[tuple[date, float]]:
    # a 12 km Saturday at the end: the report has warnings to show
    return [*calm_rows(), (calm_rows()[-1][0].replace(day=28), 12.0)]


@pytest.fixture(scope="module")
def drawn_charts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report's charts, drawn once for the module (its chart cache, ``home/charts``).

    Every test here mails the report of the same runs, whose charts are the same
    PNGs; drawing them is most of a report's time, and the drawing has tests of its
    own. Each test's data folder starts with this cache, so its report is built,
    written and mailed as usual with the charts read instead of drawn again.
    """
    base = tmp_path_factory.mktemp("charts")
    folder = write_log(base / "exports", _rows())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(base / "xdg"))
        args = ["--data-dir", str(base / "home"), "report", str(folder), "--as-of", AS_OF]
        result = CliRunner().invoke(app, [*args, "--out", str(base / "out")])
    assert result.exit_code == 0, result.output
    assert len(list((base / "home" / "charts").glob("*.png"))) >= 4
    return base / "home" / "charts"


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drawn_charts: Path) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    (tmp_path / "home").mkdir(mode=0o700)
    shutil.copytree(drawn_charts, tmp_path / "home" / "charts")
    return write_log(tmp_path / "exports", _rows())


def config(tmp_path: Path, port: int, *, username: bool = True, starttls: bool = False) -> Path:
    lines = [
        'timezone = "UTC"',
        "[email]",
        'host = "127.0.0.1"',
        f"port = {port}",
        f"starttls = {'true' if starttls else 'false'}",
        'from = "loadwatch@example.org"',
        'to = ["runner@example.org", "coach@example.org"]',
    ]
    if username:
        lines += [f'username = "{USER}"', f'password_env = "{PASSWORD_ENV}"']
    path = tmp_path / "loadwatch.toml"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)  # as the README asks of a config that names a mail login
    return path


def send(tmp_path: Path, settings: Path, exports: Path, *extra: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(tmp_path / "home"),
            "--config",
            str(settings),
            "--verbose",
            "report",
            str(exports),
            "--as-of",
            AS_OF,
            "--out",
            str(tmp_path / "out"),
            "--email",
            *extra,
        ],
    )


def assert_no_password(text: str) -> None:
    assert PASSWORD not in text
    assert base64.b64encode(PASSWORD.encode()).decode() not in text
    assert base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode() not in text


def test_the_report_arrives_with_text_html_and_inline_charts(
    tmp_path: Path,
    exports: Path,
    inbox: tuple[Inbox, Logins, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, logins, port = inbox
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    result = send(tmp_path, config(tmp_path, port), exports)
    assert result.exit_code == 0, result.output
    assert "Sent to runner@example.org, coach@example.org." in result.output
    assert_no_password(result.output)
    assert logins.tried == [(USER, PASSWORD)]

    assert len(handler.messages) == 1
    envelope = handler.envelopes[0]
    assert envelope.mail_from == "loadwatch@example.org"
    assert envelope.rcpt_tos == ["runner@example.org", "coach@example.org"]
    message = handler.messages[0]
    assert message["Subject"] == "loadwatch 2026-W09: Red: a warning needs attention"
    assert message["Date"] and message["Message-ID"]
    assert message.get_content_type() == "multipart/alternative"
    plain, related = message.get_payload()  # type: ignore[misc]
    assert plain.get_content_type() == "text/plain"
    words = plain.get_content()
    assert "YOUR RUNNING WEEK: 2026-W09" in words
    assert "WHEN TO SEE A PROFESSIONAL" in words
    assert "Run much longer than the month's longest" in words

    assert related.get_content_type() == "multipart/related"
    page_part, *images = related.get_payload()
    assert page_part.get_content_type() == "text/html"
    page = page_part.get_content()
    sources = [attrs["src"] for tag, attrs in parse_html(page).tags if tag == "img"]
    assert sources == [
        f"cid:{key}@loadwatch.report" for key in ("distance", "long-runs", "surfaces", "load")
    ]
    assert "data:image" not in page
    assert [image.get_content_type() for image in images] == ["image/png"] * 4
    ids = [image["Content-ID"] for image in images]
    assert ids == [f"<{src[4:]}>" for src in sources]
    on_disk = sorted((tmp_path / "out").glob("loadwatch-2026-W09-*.png"))
    for image in images:
        png = image.get_content()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        key = image["Content-ID"].strip("<>").split("@")[0]
        assert png == (tmp_path / "out" / f"loadwatch-2026-W09-{key}.png").read_bytes()
    assert len(on_disk) == 4


def test_a_bad_login_is_one_line_without_the_password(
    tmp_path: Path,
    exports: Path,
    inbox: tuple[Inbox, Logins, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, logins, port = inbox
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD + "-wrong")
    result = send(tmp_path, config(tmp_path, port), exports)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: the mail server 127.0.0.1:{port} refused the login for {USER}; check the "
        f"username and the password in ${PASSWORD_ENV}"
    )
    assert "Traceback" not in result.output
    assert_no_password(result.output)
    assert PASSWORD + "-wrong" not in result.output
    # smtplib tries each mechanism the server offers (PLAIN, then LOGIN)
    assert logins.tried and set(logins.tried) == {(USER, PASSWORD + "-wrong")}
    assert handler.messages == []


def test_a_refused_connection_is_one_line(
    tmp_path: Path, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    port = free_port()  # nothing listens there
    result = send(tmp_path, config(tmp_path, port), exports, "--quiet")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: cannot reach the mail server 127.0.0.1:{port}: connection refused"
    ]
    assert_no_password(result.output)
    # the files were still written before the mail failed
    assert (tmp_path / "out" / "latest.html").is_file()


def test_missing_password_variable_names_it(
    tmp_path: Path,
    exports: Path,
    inbox: tuple[Inbox, Logins, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, _, port = inbox
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    result = send(tmp_path, config(tmp_path, port), exports)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: the environment variable {PASSWORD_ENV} (email.password_env) is not set"
    )
    assert handler.messages == []


def test_starttls_against_a_plain_server_is_one_line(
    tmp_path: Path,
    exports: Path,
    inbox: tuple[Inbox, Logins, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, _, port = inbox
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    result = send(tmp_path, config(tmp_path, port, starttls=True), exports)
    assert result.exit_code == 1
    assert (
        result.output.strip()
        .splitlines()[-1]
        .startswith(
            f"Error: the mail server 127.0.0.1:{port} does not offer what the config asks for"
        )
    )
    assert_no_password(result.output)
    assert handler.messages == []


def test_no_login_when_no_username(
    tmp_path: Path, exports: Path, inbox: tuple[Inbox, Logins, int]
) -> None:
    handler, logins, port = inbox
    result = send(tmp_path, config(tmp_path, port, username=False), exports)
    assert result.exit_code == 0, result.output
    assert logins.tried == []
    assert len(handler.messages) == 1


@pytest.mark.parametrize(
    ("user", "password"), [("rünner@example.org", PASSWORD), (USER, "pässwörd-never-shown")]
)
def test_a_login_outside_ascii_is_one_line(
    tmp_path: Path,
    exports: Path,
    inbox: tuple[Inbox, Logins, int],
    monkeypatch: pytest.MonkeyPatch,
    user: str,
    password: str,
) -> None:
    # smtplib encodes logins as ASCII: this used to end in a UnicodeEncodeError traceback
    handler, _, port = inbox
    monkeypatch.setenv(PASSWORD_ENV, password)
    settings = config(tmp_path, port)
    settings.write_text(settings.read_text().replace(USER, user))
    result = send(tmp_path, settings, exports)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: the mail username or password holds a character outside ASCII, which SMTP "
        "logins cannot carry; use an ASCII password (or an app password)"
    )
    assert password not in result.output
    assert handler.messages == []


@pytest.mark.parametrize("typed", ["hunter2!", "correct horse", "s3cret-Pa55"])
def test_a_password_typed_into_password_env_is_never_echoed(
    tmp_path: Path, exports: Path, inbox: tuple[Inbox, Logins, int], typed: str
) -> None:
    handler, _, port = inbox
    settings = config(tmp_path, port)
    settings.write_text(settings.read_text().replace(PASSWORD_ENV, typed))
    result = send(tmp_path, settings, exports)
    assert result.exit_code == 1
    assert "Error: email.password_env must be the name of an environment variable" in (
        result.output
    )
    assert typed not in result.output
    assert handler.messages == []


def test_an_unset_variable_that_may_be_a_password_is_not_named(
    tmp_path: Path, exports: Path, inbox: tuple[Inbox, Logins, int]
) -> None:
    # a name an environment variable could have, but written as a password is written
    _, _, port = inbox
    settings = config(tmp_path, port)
    settings.write_text(settings.read_text().replace(PASSWORD_ENV, "Hunter2"))
    result = send(tmp_path, settings, exports)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: the environment variable named in the config (email.password_env) is not set"
    )
    assert "Hunter2" not in result.output


def test_a_login_in_clear_text_to_another_machine_is_refused(
    tmp_path: Path, exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[object] = []
    # nothing may be sent anywhere: the refusal must come before any connection
    monkeypatch.setattr(emailer, "_deliver", lambda *args: sent.append(args))
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    settings = config(tmp_path, 587)
    settings.write_text(settings.read_text().replace("127.0.0.1", "mail.example.org"))
    result = send(tmp_path, settings, exports)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: refusing to send the mail login to mail.example.org:587 in clear text: set "
        "email.starttls = true (or use port 465, TLS from the start)"
    )
    assert sent == []
    # the same settings with STARTTLS on go ahead
    settings.write_text(settings.read_text().replace("starttls = false", "starttls = true"))
    assert send(tmp_path, settings, exports).exit_code == 0
    assert len(sent) == 1
