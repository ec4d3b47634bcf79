"""Donor emails: rendered into an outbox with the event that causes them, sent by a worker."""
