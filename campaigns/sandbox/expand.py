"""``expand[]``: replace ids with the objects they name, and add fields sent only on request."""

from __future__ import annotations

import copy
from typing import Any

from .errors import invalid
from .objects import list_object
from .store import Store

JSON = dict[str, Any]


def _virtual(store: Store, node: JSON, name: str) -> JSON | None:
    """Fields Stripe leaves out unless expanded: session line items and invoice payments."""
    if node.get("object") == "checkout.session" and name == "line_items":
        items = copy.deepcopy(store.session_items.get(node["id"], []))
        return list_object(items, f"/v1/checkout/sessions/{node['id']}/line_items")
    if node.get("object") == "invoice" and name == "payments":
        ids = store.invoice_payments.get(node["id"], [])
        payments = [copy.deepcopy(store.objects[payment]) for payment in ids]
        return list_object(payments, f"/v1/invoices/{node['id']}/payments")
    return None


def _expand(store: Store, node: Any, parts: list[str], path: str) -> None:
    if not parts or node is None:
        return
    name, rest = parts[0], parts[1:]
    if not isinstance(node, dict):
        raise invalid(f"This property cannot be expanded ({path}).", "expand")
    if node.get("object") == "list" and name == "data":
        for item in node["data"]:
            _expand(store, item, rest, path)
        return
    virtual = _virtual(store, node, name)
    if virtual is not None:
        node[name] = virtual
    elif name not in node:
        raise invalid(f"This property cannot be expanded ({path}).", "expand")
    value = node[name]
    if isinstance(value, str):
        target = store.get(value)
        if target is None:
            raise invalid(f"This property cannot be expanded ({path}).", "expand")
        node[name] = value = copy.deepcopy(target)
    elif value is not None and not isinstance(value, dict):
        raise invalid(f"This property cannot be expanded ({path}).", "expand")
    _expand(store, value, rest, path)


def render(store: Store, obj: JSON, paths: list[str] | None = None) -> JSON:
    """A copy of ``obj`` as the API returns it, with ``paths`` (dotted) expanded."""
    result = copy.deepcopy(obj)
    for path in paths or []:
        _expand(store, result, path.split("."), path)
    return result
