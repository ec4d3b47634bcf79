"""``python -m campaigns.sandbox --port 12111 --webhook-url … --webhook-secret …``."""

from .cli import stripe_sandbox_command

stripe_sandbox_command(prog_name="python -m campaigns.sandbox")
