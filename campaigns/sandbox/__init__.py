"""An offline stand-in for the part of Stripe the campaigns app uses.

It speaks Stripe's HTTP API under ``/v1``, serves a look-alike hosted Checkout page, and sends
signed webhooks; the app only needs a different API base URL to use it. Nothing here imports
the rest of the package or the stripe SDK.
"""

from .app import Sandbox, create_sandbox

__all__ = ["Sandbox", "create_sandbox"]
