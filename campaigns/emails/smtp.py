"""Delivering messages: an SMTP server (stdlib smtplib), or the development mailbox."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Protocol


class DeliveryError(RuntimeError):
    """A message didn't go out; ``permanent`` when trying again can't help."""

    def __init__(self, message: str, *, permanent: bool = False, server: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        # The server couldn't be reached or used at all: the rest of the batch would fail too.
        self.server = server


class Transport(Protocol):
    """Something that delivers messages, used as a context manager around a batch."""

    def __enter__(self) -> Transport: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...

    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class SMTPSettings:
    host: str
    port: int
    username: str
    password: str
    use_tls: bool
    use_ssl: bool
    timeout: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SMTPSettings:
        return cls(
            host=str(config["MAIL_SERVER"]),
            port=int(config["MAIL_PORT"]),
            username=str(config["MAIL_USERNAME"]),
            password=str(config["MAIL_PASSWORD"]),
            use_tls=bool(config["MAIL_USE_TLS"]),
            use_ssl=bool(config["MAIL_USE_SSL"]),
            timeout=float(config["MAIL_TIMEOUT"]),
        )


def _refusal(code: int, text: bytes | str) -> str:
    reply = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {reply}".strip()


class SMTPTransport:
    """One connection per batch, opened on the first message and reopened after a drop."""

    def __init__(self, settings: SMTPSettings) -> None:
        self.settings = settings
        self._connection: smtplib.SMTP | None = None

    def __enter__(self) -> SMTPTransport:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        settings = self.settings
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if settings.use_ssl:
            connection = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        try:
            if settings.use_tls:
                connection.starttls(context=context)
            if settings.username:
                connection.login(settings.username, settings.password)
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def send(self, message: EmailMessage) -> None:
        """Hand ``message`` to the server, or raise ``DeliveryError``."""
        try:
            self._connect().send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            reason = "; ".join(_refusal(code, text) for code, text in exc.recipients.values())
            raise DeliveryError(
                f"recipient refused: {reason}", permanent=all(code >= 500 for code in codes)
            ) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            # Refusals of this message; the session stays usable (smtplib has sent RSET).
            raise DeliveryError(
                _refusal(exc.smtp_code, exc.smtp_error), permanent=exc.smtp_code >= 500
            ) from exc
        except smtplib.SMTPResponseException as exc:
            # Greeting, TLS or login refused: our setup or the server's state, never the
            # message, so it is worth trying again once someone fixes it.
            self.close()
            raise DeliveryError(_refusal(exc.smtp_code, exc.smtp_error), server=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(f"{type(exc).__name__}: {exc}", server=True) from exc

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()


class MailboxTransport:
    """Development without MAIL_SERVER: the outbox row itself is the delivered email."""

    def __enter__(self) -> MailboxTransport:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None

    def send(self, message: EmailMessage) -> None:
        """Nothing leaves the machine; /dev/mailbox shows the email."""
