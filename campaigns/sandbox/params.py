"""Stripe's form encoding (``a[0][b]=c``, ``expand[]=x``), decoded and checked by allow-lists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import StripeError

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def decode_form(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Nest bracketed keys into dicts; ``[]`` appends. Lists stay dicts keyed "0", "1"… here."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.match(key)
        if match is None:
            raise StripeError(f"Invalid parameter name: {key}", param=key)
        tokens = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node = root
        for depth, token in enumerate(tokens):
            name = str(len(node)) if token == "" else token
            if depth == len(tokens) - 1:
                node[name] = value
                break
            child = node.setdefault(name, {})
            if not isinstance(child, dict):
                raise StripeError(f"Invalid value for {key}: mixes a string and a hash", param=key)
            node = child
    return root


def _describe(value: Any) -> str:
    return "a hash" if isinstance(value, dict) else repr(value)


class Spec:
    """One allow-listed parameter: how to check and convert what was sent."""

    def coerce(self, value: Any, path: str) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Str(Spec):
    choices: tuple[str, ...] = ()

    def coerce(self, value: Any, path: str) -> Any:
        if not isinstance(value, str):
            raise StripeError(f"Invalid string: {_describe(value)}", param=path)
        if self.choices and value not in self.choices:
            allowed = ", ".join(self.choices)
            raise StripeError(f"Invalid {path}: must be one of {allowed}", param=path)
        return value


@dataclass(frozen=True)
class Int(Spec):
    minimum: int | None = None

    def coerce(self, value: Any, path: str) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value.strip()):
            raise StripeError(
                f"Invalid integer: {value if isinstance(value, str) else _describe(value)}",
                code="parameter_invalid_integer",
                param=path,
            )
        number = int(value)
        if self.minimum is not None and number < self.minimum:
            raise StripeError(
                f"This value must be greater than or equal to {self.minimum}.",
                code="parameter_invalid_integer",
                param=path,
            )
        return number


@dataclass(frozen=True)
class Bool(Spec):
    def coerce(self, value: Any, path: str) -> Any:
        if value not in ("true", "false"):
            raise StripeError(f"Invalid boolean: {_describe(value)}", param=path)
        return value == "true"


@dataclass(frozen=True)
class Map(Spec):
    """Free-form keys to strings, like ``metadata``; an empty string means "unset"."""

    def coerce(self, value: Any, path: str) -> Any:
        if value == "":
            return {}
        if not isinstance(value, dict):
            raise StripeError(f"Invalid hash: {_describe(value)}", param=path)
        for key, item in value.items():
            if not isinstance(item, str):
                raise StripeError(f"Invalid string: {_describe(item)}", param=f"{path}[{key}]")
        return dict(value)


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec

    def coerce(self, value: Any, path: str) -> Any:
        if not isinstance(value, dict) or not all(key.isdigit() for key in value):
            raise StripeError(f"Invalid array: {_describe(value)}", param=path)
        ordered = sorted(value.items(), key=lambda pair: int(pair[0]))
        return [self.item.coerce(item, f"{path}[{key}]") for key, item in ordered]


@dataclass(frozen=True)
class Obj(Spec):
    fields: dict[str, Spec]
    required: frozenset[str] = field(default_factory=frozenset)

    def coerce(self, value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            raise StripeError(f"Invalid hash: {_describe(value)}", param=path)
        result: dict[str, Any] = {}
        for key, item in value.items():
            child = f"{path}[{key}]" if path else key
            spec = self.fields.get(key)
            if spec is None:
                raise StripeError(
                    f"Received unknown parameter: {child}. The Stripe sandbox accepts only "
                    "the parameters the campaigns app uses.",
                    code="parameter_unknown",
                    param=child,
                )
            result[key] = spec.coerce(item, child)
        for key in sorted(self.required - value.keys()):
            child = f"{path}[{key}]" if path else key
            raise StripeError(
                f"Missing required param: {child}.", code="parameter_missing", param=child
            )
        return result

    def check(self, params: dict[str, Any]) -> dict[str, Any]:
        """The top-level request parameters, converted, or a ``StripeError``."""
        return dict(self.coerce(params, ""))


RANGE_BOUNDS = ("gt", "gte", "lt", "lte")


@dataclass(frozen=True)
class Range(Spec):
    """An integer (kept as ``{"eq": n}``) or bounds ``gt``/``gte``/``lt``/``lte``: ``created``."""

    def coerce(self, value: Any, path: str) -> Any:
        if isinstance(value, str):
            return {"eq": Int().coerce(value, path)}
        return Obj({bound: Int() for bound in RANGE_BOUNDS}).coerce(value, path)


def leaf_paths(spec: Spec, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Spec]]:
    """Every allow-listed parameter as a path of names ("[]" for a list element)."""
    if isinstance(spec, Obj):
        for name, child in spec.fields.items():
            yield (*prefix, name), child
            yield from leaf_paths(child, (*prefix, name))
    elif isinstance(spec, Range):
        for bound in RANGE_BOUNDS:
            yield (*prefix, bound), Int()
    elif isinstance(spec, ListOf):
        yield (*prefix, "[]"), spec.item
        yield from leaf_paths(spec.item, (*prefix, "[]"))
