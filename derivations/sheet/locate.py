"""Where a key of a sheet is: TOML key paths to line numbers, for error messages."""

from __future__ import annotations

import re


def locate(text: str, key: str) -> int | None:
    """Best-effort 1-based line of a dotted key path in sheet TOML text.

    Why by hand: tomllib gives no positions. Paths look like
    `problems.E2.asks.D_new.bind.L`: we find the problem table whose `id` is E2, then the
    ask with id D_new after it, then the first line that starts with the last key.
    """
    if not text or not key:
        return None
    lines = text.splitlines()
    parts = key.split(".")
    start, end = 0, len(lines)
    if parts[0] == "problems" and len(parts) > 1:
        start, end = _block(lines, "[[problems]]", parts[1], start, end)
        parts = parts[2:]
        if parts[:1] == ["asks"] and len(parts) > 1:
            start, end = _block(lines, "[[problems.asks]]", parts[1], start, end)
            parts = parts[2:]
        elif parts[:1] == ["given"]:
            start = _header(lines, "[problems.given]", start, end)
            parts = parts[1:]
    elif any(line.strip() == f"[{parts[0]}]" for line in lines):
        # a top-level table ([given], [random], [variants], [output]): its keys, not a
        # key of the same name in an earlier table (random.b_w is not given.b_w)
        start = _header(lines, f"[{parts[0]}]", 0, end)
        parts = parts[1:]
    for part in parts or [""]:
        found = _key_line(lines, part, start, end)
        if found is not None:
            start = found
    return start + 1 if start < len(lines) else None


def _block(lines: list[str], header: str, ident: str, start: int, end: int) -> tuple[int, int]:
    starts = [i for i in range(start, end) if lines[i].strip() == header]
    bounds = list(zip(starts, starts[1:] + [end], strict=True))
    for index, (lo, hi) in enumerate(bounds):
        ident_line = _key_line(lines, "id", lo, hi)
        if ident.startswith("#") and ident[1:].isdigit() and int(ident[1:]) == index + 1:
            return lo, hi
        if ident_line is not None and re.search(rf"=\s*[\"']{re.escape(ident)}[\"']",
                                                lines[ident_line]):
            return lo, hi
    return start, end


def _header(lines: list[str], header: str, start: int, end: int) -> int:
    for i in range(start, end):
        if lines[i].strip() == header:
            return i
    return start


def _key_line(lines: list[str], name: str, start: int, end: int) -> int | None:
    if not name:
        return None
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*=|[{{,]\s*{re.escape(name)}\s*=")
    for i in range(start, end):
        if pattern.search(lines[i]):
            return i
    return None
