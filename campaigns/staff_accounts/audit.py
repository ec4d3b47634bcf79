"""The audit log: every staff action that changes money, campaigns or accounts, or exports data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry, Staff


def record(action: str, target: str, details: dict[str, Any], actor: Staff | None) -> None:
    """Note an action in the current unit of work, so it commits (or not) with the change."""
    db.session.add(
        AuditEntry(
            staff_id=actor.id if actor else None,
            actor=actor.email if actor else "command line",
            action=action,
            target=target,
            details=details,
        )
    )


def recent_entries(limit: int = 200, offset: int = 0) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return list(db.session.scalars(query.limit(limit).offset(offset)))
