"""The app server's ceiling: a WSGI callable that returns fixed bytes and headers, nothing else.

``benchmarks/api_load.py`` serves it under the same gunicorn as the app, with the API's own
answer (read from BENCH_ANSWER, a JSON file of body and headers), so the two runs differ only
by what the app does per request.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

with open(os.environ["BENCH_ANSWER"], encoding="utf-8") as answer_file:
    _ANSWER = json.load(answer_file)

BODY = _ANSWER["body"].encode()
HEADERS = [(name, value) for name, value in _ANSWER["headers"]]


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]
