"""Check JSON against the stripe SDK's own class annotations and request TypedDicts."""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
import types
import typing
from collections import ChainMap
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache
from typing import Any, ClassVar, Literal, Union, get_args, get_origin

import stripe
from stripe._list_object import ListObject
from stripe._stripe_object import StripeObject, UntypedStripeObject

_NONE = type(None)


class _LazyStripeNames(Mapping[str, Any]):
    """Names imported under ``if TYPE_CHECKING:`` in a module, resolved when first asked for."""

    def __init__(self, module: types.ModuleType) -> None:
        self._imports: dict[str, tuple[str, str]] = {}
        tree = ast.parse(inspect.getsource(module))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self._imports[alias.asname or alias.name] = (node.module, alias.name)

    def __getitem__(self, name: str) -> Any:
        if name in self._imports:
            module_name, attribute = self._imports[name]
            return getattr(importlib.import_module(module_name), attribute)
        if hasattr(stripe, name):
            return getattr(stripe, name)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._imports)

    def __len__(self) -> int:
        return len(self._imports)


@cache
def _module_names(module_name: str) -> _LazyStripeNames:
    return _LazyStripeNames(sys.modules[module_name])


def _enclosing(cls: type) -> list[type]:
    """``cls`` and the classes it is nested in, innermost first."""
    module = sys.modules[cls.__module__]
    parts = cls.__qualname__.split(".")
    chain: list[Any] = [module]
    for part in parts:
        chain.append(getattr(chain[-1], part))
    return list(reversed(chain[1:]))


def _ancestors(cls: type) -> list[type]:
    """``cls`` and every class it derives from, TypedDict bases included (farthest first)."""
    found: list[type] = []
    for base in [*getattr(cls, "__orig_bases__", ()), *cls.__mro__[1:]]:
        if isinstance(base, type) and base not in found and base is not cls:
            found += [b for b in _ancestors(base) if b not in found]
    return [*found, cls]


@cache
def type_hints(cls: type) -> dict[str, Any]:
    """The resolved annotations of a stripe class or TypedDict (its own and inherited)."""
    globalns: dict[str, Any] = {}
    for ancestor in _ancestors(cls):  # inherited annotations name things from their own module
        globalns.update(vars(sys.modules[ancestor.__module__]))
    scopes: list[Mapping[str, Any]] = [dict(vars(c)) for c in _enclosing(cls)]
    localns: Any = ChainMap(*scopes, _module_names(cls.__module__))  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls, globalns=globalns, localns=localns)
    return {
        name: hint
        for name, hint in hints.items()
        if not name.startswith("_") and get_origin(hint) is not ClassVar
    }


def json_fields(cls: type[StripeObject]) -> dict[str, Any]:
    """The annotated fields of a stripe object class, keyed by their JSON names."""
    remap: dict[str, str] = getattr(cls, "_field_remappings", {})
    hints = type_hints(cls)  # type: ignore[arg-type]  # classes hash fine; the stub says otherwise
    return {remap.get(name, name): hint for name, hint in hints.items()}


def is_optional(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType) and _NONE in get_args(hint)


def check(value: Any, hint: Any, path: str = "$") -> list[str]:
    """Every way ``value`` (decoded JSON) disagrees with the annotation ``hint``."""
    origin = get_origin(hint)
    if hint is Any or hint is object:
        return []
    if origin in (Union, types.UnionType):
        if value is None:
            return [] if _NONE in get_args(hint) else [f"{path}: null where {hint} is required"]
        attempts = [check(value, arm, path) for arm in get_args(hint) if arm is not _NONE]
        if any(not errors for errors in attempts):
            return []
        return min(attempts, key=len)
    if value is None:
        return [f"{path}: null where {hint} is required"]
    if origin is Literal:
        return [] if value in get_args(hint) else [f"{path}: {value!r} not in {get_args(hint)}"]
    if hint is bool:
        return [] if isinstance(value, bool) else [f"{path}: {value!r} is not a bool"]
    if hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{path}: {value!r} is not an int"]
    if hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{path}: {value!r} is not a number"]
    if hint is str or hint is Decimal:  # decimals travel as strings
        return [] if isinstance(value, str) else [f"{path}: {value!r} is not a string"]
    if origin in (list, typing.List):  # noqa: UP006
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__} is not a list"]
        (item,) = get_args(hint)
        return [error for i, v in enumerate(value) for error in check(v, item, f"{path}[{i}]")]
    if origin in (dict, typing.Dict):  # noqa: UP006
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} is not an object"]
        _, item = get_args(hint)
        return [error for k, v in value.items() for error in check(v, item, f"{path}.{k}")]
    if origin is UntypedStripeObject or hint is UntypedStripeObject:
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} is not an object"]
        item = get_args(hint)[0] if get_args(hint) else Any
        return [error for k, v in value.items() for error in check(v, item, f"{path}.{k}")]
    if origin is ListObject or hint is ListObject:
        return _check_list(value, get_args(hint)[0] if get_args(hint) else Any, path)
    if isinstance(hint, type) and issubclass(hint, StripeObject):
        return check_object(value, hint, path)
    return [f"{path}: the checker does not understand {hint!r}"]


def _check_list(value: Any, item: Any, path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: {type(value).__name__} is not a list object"]
    errors = [
        f"{path}.{key}: unknown field"
        for key in value.keys() - {"object", "data", "has_more", "url"}
    ]
    errors += [
        f"{path}.{key}: missing" for key in {"object", "data", "has_more", "url"} - value.keys()
    ]
    if value.get("object") != "list":
        errors.append(f"{path}.object: {value.get('object')!r} is not 'list'")
    errors += check(value.get("data"), list[item], f"{path}.data")
    errors += check(value.get("has_more"), bool, f"{path}.has_more")
    errors += check(value.get("url"), str, f"{path}.url")
    return errors


def check_object(value: Any, cls: type[StripeObject], path: str = "$") -> list[str]:
    """Fields ``cls`` does not declare, required fields that are missing, and wrong types."""
    if not isinstance(value, dict):
        return [f"{path}: {type(value).__name__} is not an object ({cls.__qualname__})"]
    fields = json_fields(cls)
    errors = [
        f"{path}.{key}: {cls.__qualname__} has no such field"
        for key in value.keys() - fields.keys()
    ]
    for name, hint in fields.items():
        if name not in value:
            if not is_optional(hint):
                errors.append(f"{path}.{name}: required by {cls.__qualname__} but missing")
            continue
        errors += check(value[name], hint, f"{path}.{name}")
    return errors
