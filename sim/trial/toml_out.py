"""A scenario's data written back as TOML, with a comment on the lines a trial measured.

The scenario as loaded (its input data: only the keys its file gave) is plain tables, arrays
of tables and values; nested tables inside an array item are written inline. A comment is
attached to a key by its dotted path with list items named ("segments.card.response").
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

__all__ = ["dumps"]

_COMMENT_AT = 44


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            return "inf" if v > 0 else ("-inf" if v < 0 else "nan")
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() and k.isascii() else json.dumps(k)


def _line(key: str, value: Any, comment: str | None) -> list[str]:
    text = f"{_key(key)} = {_value(value)}"
    if not comment:
        return [text]
    inline = text.ljust(_COMMENT_AT) + f"  # {comment}"
    return [inline] if len(inline) <= 100 else [f"# {comment}", text]


def _table(path: str, data: dict, comments: dict[str, str]) -> list[str]:
    return [_line(k, v, comments.get(f"{path}.{k}")) for k, v in data.items()]


def dumps(data: dict[str, Any], comments: dict[str, str], header: list[str]) -> str:
    """The whole file: ``header`` comment lines, then every table of ``data``."""
    lines = [*header, ""]

    def is_table(v: Any) -> bool:
        return isinstance(v, dict) or (
            isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)
        )

    scalars = {k: v for k, v in data.items() if not is_table(v)}
    lines += [x for k, v in scalars.items() for x in _line(k, v, comments.get(k))]
    for key, value in data.items():
        if not is_table(value):
            continue
        if isinstance(value, dict) and value and all(isinstance(x, dict) for x in value.values()):
            for sub, table in value.items():  # [sources."segments.a.response.sms"]
                lines += ["", f"[{_key(key)}.{_key(sub)}]"]
                lines += [x for part in _table(f"{key}.{sub}", table, comments) for x in part]
        elif isinstance(value, dict):
            lines += ["", f"[{_key(key)}]"]
            lines += [x for part in _table(key, value, comments) for x in part]
        elif isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
            for item in value:
                path = f"{key}.{item.get('name', '')}"
                lines += ["", f"[[{_key(key)}]]"]
                lines += [x for part in _table(path, item, comments) for x in part]
    return "\n".join(lines) + "\n"
