"""Products and prices, made inline from ``price_data`` the way Checkout and updates do."""

from __future__ import annotations

from typing import Any

from . import objects
from .errors import invalid
from .store import Store

JSON = dict[str, Any]


def inline_price(store: Store, data: JSON, *, param: str) -> JSON:
    """A new price from ``price_data``, with a new product from ``product_data`` if given."""
    now = store.clock.now()
    if "product" in data and "product_data" in data:
        raise invalid("You may only specify one of these parameters: product, product_data.", param)
    if "product" in data:
        product_id = store.require(data["product"], "product", "product", f"{param}[product]")["id"]
    elif "product_data" in data:
        product_data = data["product_data"]
        product = objects.product(
            store.new_id("prod"),
            now,
            product_data["name"],
            product_data.get("description"),
            product_data.get("metadata", {}),
        )
        product_id = store.add(product)["id"]
    else:
        raise invalid(
            "You must specify either `product` or `product_data` when creating a price.",
            f"{param}[product_data]",
        )
    recurring = data.get("recurring")
    price = objects.price(
        store.new_id("price"),
        now,
        product_id=product_id,
        currency=data["currency"].lower(),
        unit_amount=data["unit_amount"],
        interval=recurring["interval"] if recurring else None,
        interval_count=recurring.get("interval_count", 1) if recurring else 1,
    )
    return store.add(price)
