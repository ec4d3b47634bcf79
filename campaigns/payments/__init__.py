"""Stripe: the only package that talks to it (``stripe_api``) and reads its webhooks."""
