"""A donor asks for their link: the asker learns nothing about whether the address gave."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import select

from ..emails.compose import compose
from ..emails.outbox import enqueue
from ..extensions import db
from ..models import Donor, EmailKind, normalize_email
from ..urls import public_urls
from .links import Purpose, link_url, max_age


def send_giving_link(email: str) -> None:
    """Email the donor with this address a signed link, or tell the address we know no gifts.

    Both paths read one row, render one email and queue it, so the answer and the time it
    takes are the same whether or not the address belongs to a donor; only the mailbox's
    owner learns which it was.
    """
    donor = db.session.scalar(select(Donor).where(Donor.email_key == normalize_email(email)))
    key = f"giving_link:{uuid4().hex}"  # each request is its own email; the form is rate-limited
    if donor is not None:
        composed = compose(
            "giving_link",
            name=donor.name,
            link=link_url(Purpose.MANAGE, donor),
            minutes=max_age(Purpose.MANAGE) // 60,
        )
        enqueue(
            EmailKind.GIVING_LINK,
            key,
            composed,
            to_address=donor.email,
            to_name=donor.name,
            donor_id=donor.id,
        )
        return
    composed = compose(
        "no_giving",
        email=email.strip(),
        request_url=public_urls().giving_request(),
    )
    enqueue(EmailKind.NO_GIVING, key, composed, to_address=email.strip())
