"""The embeddable widget as one file: script and stylesheet together, minified, versioned."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..paths import STATIC

WIDGET_DIR = STATIC / "widget"
CSS_PLACEHOLDER = '"__WIDGET_CSS__"'
# What the script and its styles may weigh together, gzipped (the budget).
GZIP_BUDGET = 5 * 1024

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_SPACE = re.compile(r"\s*([{};,>])\s*")


@dataclass(frozen=True)
class WidgetBundle:
    script: bytes
    gzipped: bytes
    version: str  # a hash of the content: a new version is a new URL


def minify_js(source: str) -> str:
    """Drop indentation, blank lines and whole-line ``//`` comments.

    The source keeps its comments on lines of their own, so nothing inside a string or a
    regular expression is ever touched; line breaks stay, so semicolon insertion can't change.
    """
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def minify_css(source: str) -> str:
    """Drop comments and the spaces CSS doesn't need (around braces, semicolons, commas)."""
    text = _CSS_COMMENT.sub("", source)
    text = " ".join(text.split())
    text = _CSS_SPACE.sub(r"\1", text)
    return text.replace(";}", "}").strip()


def build_bundle(directory: Path = WIDGET_DIR) -> WidgetBundle:
    """Read ``widget.js`` and ``widget.css`` and make the file ``/widget.js`` serves."""
    js = minify_js((directory / "widget.js").read_text(encoding="utf-8"))
    css = minify_css((directory / "widget.css").read_text(encoding="utf-8"))
    if js.count(CSS_PLACEHOLDER) != 1:
        raise RuntimeError(f"widget.js must hold {CSS_PLACEHOLDER} exactly once")
    script = js.replace(CSS_PLACEHOLDER, json.dumps(css)).encode()
    return WidgetBundle(
        script=script,
        gzipped=gzip.compress(script, compresslevel=9, mtime=0),
        version=hashlib.sha256(script).hexdigest()[:12],
    )


@cache
def widget_bundle() -> WidgetBundle:
    """The bundle, built once per process."""
    return build_bundle()
