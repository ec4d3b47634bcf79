"""Form decoding, and the parameter allow-lists checked against the SDK's request TypedDicts."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

import pytest
import stripe
import stripe.params
from stripe._request_options import RequestOptions
from stripe._stripe_object import UntypedStripeObject
from typing_extensions import is_typeddict

from campaigns.sandbox.errors import StripeError
from campaigns.sandbox.params import (
    Bool,
    Int,
    ListOf,
    Map,
    Obj,
    Range,
    Spec,
    Str,
    decode_form,
    leaf_paths,
)
from campaigns.sandbox.schemas import CHECKOUT_SESSION_CREATE, SCHEMAS
from tests.sandbox.sdk_shapes import type_hints


def test_brackets_nest_and_lists_come_out_in_index_order() -> None:
    raw = decode_form(
        [
            ("line_items[1][quantity]", "2"),
            ("line_items[0][price_data][currency]", "usd"),
            ("line_items[0][quantity]", "1"),
            ("expand[]", "line_items"),
            ("expand[]", "payment_intent"),
            ("metadata[donation_id]", "7"),
        ]
    )
    assert raw["line_items"]["0"] == {"price_data": {"currency": "usd"}, "quantity": "1"}
    spec = Obj(
        {
            "line_items": ListOf(Obj({"quantity": Int(), "price_data": Obj({"currency": Str()})})),
            "expand": ListOf(Str()),
            "metadata": Map(),
        }
    )
    checked = spec.check(raw)
    assert [item["quantity"] for item in checked["line_items"]] == [1, 2]
    assert checked["expand"] == ["line_items", "payment_intent"]
    assert checked["metadata"] == {"donation_id": "7"}


@pytest.mark.parametrize(
    ("pairs", "code", "param"),
    [
        ([("mode", "payment"), ("colour", "red")], "parameter_unknown", "colour"),
        (
            [("line_items[0][price_data][tax_behavior]", "inclusive")],
            "parameter_unknown",
            "line_items[0][price_data][tax_behavior]",
        ),
        (
            [("line_items[0][quantity]", "two")],
            "parameter_invalid_integer",
            "line_items[0][quantity]",
        ),
        ([("mode", "payment")], "parameter_missing", "line_items"),
        (
            [("mode", "payment"), ("line_items[0][price]", "price_x")],
            "parameter_missing",
            "line_items[0][quantity]",
        ),
    ],
)
def test_refusals_name_the_parameter_in_bracket_form(
    pairs: list[tuple[str, str]], code: str, param: str
) -> None:
    with pytest.raises(StripeError) as caught:
        CHECKOUT_SESSION_CREATE.check(decode_form(pairs))
    assert (caught.value.code, caught.value.param) == (code, param)


def test_booleans_and_enums_are_checked() -> None:
    assert Bool().coerce("true", "x") is True
    with pytest.raises(StripeError):
        Bool().coerce("yes", "x")
    with pytest.raises(StripeError, match="must be one of payment, subscription"):
        CHECKOUT_SESSION_CREATE.check({"mode": "setup", "line_items": {}})
    assert Range().coerce("5", "created") == {"eq": 5}
    assert Range().coerce({"gte": "5"}, "created") == {"gte": 5}


# --- the allow-lists against the SDK -------------------------------------------------------


def _sdk_params_class(name: str) -> type:
    namespace: Any = stripe.params
    for part in name.split("."):
        namespace = getattr(namespace, part)
    assert isinstance(namespace, type)
    return namespace


def _arms(hint: Any) -> list[Any]:
    if get_origin(hint) in (Union, types.UnionType):
        return [arm for arm in get_args(hint) if arm is not type(None)]
    return [hint]


def _is_typed_dict(hint: Any) -> bool:
    return bool(is_typeddict(hint))


def _step(hint: Any, segment: str, top: bool) -> Any:
    """The SDK type one segment deeper, or AssertionError when the SDK has no such parameter."""
    for arm in _arms(hint):
        if segment == "[]" and get_origin(arm) in (list, typing.List):  # noqa: UP006
            return get_args(arm)[0]
        if segment != "[]" and _is_typed_dict(arm):
            fields = type_hints(arm)
            if top:
                fields = {k: v for k, v in fields.items() if k not in type_hints(RequestOptions)}
            if segment in fields:
                return fields[segment]
    raise AssertionError(f"the SDK knows no parameter {segment!r} in {hint!r}")


def _leaf_matches(spec: Spec, hint: Any) -> bool:
    arms = _arms(hint)
    if isinstance(spec, Str):
        literals = {v for arm in arms if get_origin(arm) is Literal for v in get_args(arm)}
        if str in arms:
            return True
        return bool(literals) and set(spec.choices) <= literals
    if isinstance(spec, Int):
        return int in arms
    if isinstance(spec, Bool):
        return bool in arms
    if isinstance(spec, Map):
        return any(
            get_origin(arm) in (dict, typing.Dict, UntypedStripeObject)  # noqa: UP006
            or arm is UntypedStripeObject
            for arm in arms
        )
    if isinstance(spec, Obj):
        return any(_is_typed_dict(arm) for arm in arms)
    if isinstance(spec, ListOf):
        return any(get_origin(arm) in (list, typing.List) for arm in arms)  # noqa: UP006
    if isinstance(spec, Range):
        return int in arms and any(_is_typed_dict(arm) for arm in arms)
    return False


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_allowed_parameter_exists_in_the_sdk(name: str) -> None:
    root = _sdk_params_class(name)
    checked = 0
    for path, spec in leaf_paths(SCHEMAS[name]):
        hint: Any = root
        for depth, segment in enumerate(path):
            hint = _step(hint, segment, top=depth == 0)
        assert _leaf_matches(spec, hint), f"{name}: {'/'.join(path)} is {hint!r} in the SDK"
        checked += 1
    assert checked


def test_the_walk_notices_a_parameter_the_sdk_does_not_have() -> None:
    with pytest.raises(AssertionError, match="no parameter 'colour'"):
        _step(stripe.params.checkout.SessionCreateParams, "colour", top=True)
    with pytest.raises(AssertionError, match="no parameter 'idempotency_key'"):
        _step(stripe.params.checkout.SessionCreateParams, "idempotency_key", top=True)
