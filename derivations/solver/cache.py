"""A persistent cache of rearranged formulas, so `sympy.solve` runs once per machine.

Why: isolating an unknown with sympy costs up to a quarter of a second the first time
in a process (the solver warms up), which dominates solving a sheet. Results are keyed
by the equation's full structure (`srepr`, assumptions included) and the unknown, and
the file name carries the sympy version and a fingerprint of this package, so a new
library or solver never reads an old entry.

Nothing in the cache can run code: it is JSON, and expressions are rebuilt from it
through a whitelist of sympy classes (`_CLASSES`), never by `eval`, `sympify` or
`pickle`. A file that is not a regular file owned by the current user, or that group
or others may write, is not read at all (a shared course folder cannot feed it wrong
rearrangements). The folder is `$DERIVATIONS_CACHE`, else `$XDG_CACHE_HOME/derivations`,
else `~/.cache/derivations`; `DERIVATIONS_CACHE=off` disables it. A corrupt or
unreadable file is ignored and rewritten.
"""

from __future__ import annotations

import atexit
import json
import os
import stat
from pathlib import Path
from typing import Any

import sympy as sp

from derivations.errors import DerivationsError
from derivations.files import write_atomic
from derivations.library.core import STEP_FUNCTIONS
from derivations.limits import check_power

_entries: dict[str, Any] | None = None
_dirty = False
FORMAT = 1

#: The only sympy classes a cached expression may be rebuilt from.
_CLASSES: dict[str, Any] = {cls.__name__: cls for cls in (
    sp.Add, sp.Mul, sp.Pow, sp.Eq, sp.log, sp.exp, sp.floor, sp.ceiling, sp.Max, sp.Min,
    sp.Abs, sp.sign, *STEP_FUNCTIONS)}
_CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E, "I": sp.I}


class Unencodable(Exception):
    """An expression with a class outside the whitelist: it is simply not cached."""


def encode(value: Any) -> Any:
    """JSON-ready data for a cached value (tuples and dicts of expressions)."""
    if isinstance(value, tuple):
        return {"t": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"d": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, sp.Symbol) and type(value) is sp.Symbol:
        return {"s": value.name, "a": {k: v for k, v in value.assumptions0.items()
                                       if isinstance(v, bool)}}
    if isinstance(value, sp.Integer):
        return {"i": str(value.p)}
    if isinstance(value, sp.Rational):
        return {"q": [str(value.p), str(value.q)]}
    for name, constant in _CONSTANTS.items():
        if value == constant:
            return {"c": name}
    name = type(value).__name__
    if isinstance(value, sp.Basic) and _CLASSES.get(name) is type(value):
        return {"f": name, "a": [encode(arg) for arg in value.args]}
    raise Unencodable(name)


def decode(data: Any) -> Any:
    """The value `encode` wrote; anything else raises ValueError."""
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise ValueError("not a cache entry")
    if "t" in data:
        return tuple(decode(v) for v in data["t"])
    if "d" in data:
        return {decode(k): decode(v) for k, v in data["d"]}
    if "s" in data:
        flags = {k: v for k, v in data["a"].items() if isinstance(v, bool)}
        return sp.Symbol(str(data["s"]), **flags)
    if "i" in data:
        return sp.Integer(int(data["i"]))
    if "q" in data:
        return sp.Rational(int(data["q"][0]), int(data["q"][1]))
    if "c" in data:
        return _CONSTANTS[data["c"]]
    cls, args = _CLASSES[data["f"]], [decode(arg) for arg in data["a"]]
    if cls is sp.Pow:
        check_power(*args)  # a hand-edited file cannot ask for 10^(10^4000)
    return cls(*args, evaluate=False)  # the structure exactly as sympy made it


def _folder() -> Path | None:
    configured = os.environ.get("DERIVATIONS_CACHE")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "derivations"


def _file() -> Path | None:
    from derivations.fingerprint import fingerprint

    folder = _folder()
    if folder is None:
        return None
    return folder / f"rearrange-sympy{sp.__version__}-{fingerprint()[:16]}.json"


def trusted(path: Path) -> bool:
    """A regular file of the current user that nobody else may write."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _load() -> dict[str, Any]:
    global _entries
    if _entries is None:
        _entries = {}
        path = _file()
        if path is not None and trusted(path):
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict) and loaded.get("format") == FORMAT \
                        and isinstance(loaded.get("entries"), dict):
                    _entries = loaded["entries"]
            except (OSError, ValueError, RecursionError):  # a bad cache is a slower run
                _entries = {}
        atexit.register(save)
    return _entries


def key(expr: sp.Basic, extra: Any) -> str:
    return sp.srepr(expr) + "|" + sp.srepr(extra)


def get(expr: sp.Basic, extra: Any) -> Any:
    """The cached result for `expr` and `extra` (an unknown, or a tuple of symbols)."""
    data = _load().get(key(expr, extra))
    if data is None:
        return None
    try:
        return decode(data)
    except Exception:  # noqa: BLE001 - a bad entry is only a slower run
        return None


def put(expr: sp.Basic, extra: Any, value: Any) -> None:
    global _dirty
    try:
        encoded = encode(value)
    except Unencodable:
        return
    _load()[key(expr, extra)] = encoded
    _dirty = True


def save() -> None:
    """Write new entries (atomically, mode 0600 as a private cache); failures are ignored."""
    global _dirty
    path = _file()
    if not _dirty or path is None or _entries is None:
        return
    try:
        data = json.dumps({"format": FORMAT, "entries": _entries}).encode()
        write_atomic(path, data)
        os.chmod(path, 0o600)
        _dirty = False
        for stale in path.parent.glob("rearrange-*"):  # other code versions, old pickles
            if stale != path and stale.suffix in (".json", ".pickle"):
                stale.unlink(missing_ok=True)
    except (OSError, DerivationsError):
        pass
