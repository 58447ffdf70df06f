"""A persistent cache of rearranged formulas, so `sympy.solve` runs once per machine.

Why: isolating an unknown with sympy costs up to a quarter of a second the first time
in a process (the solver warms up), which dominates solving a sheet. Results are keyed
by the equation's full structure (`srepr`, assumptions included) and the unknown, and
the file name carries the sympy version and a fingerprint of this package, so a new
library or solver never reads an old entry.

The cache holds pickled sympy expressions that this program wrote itself, in the
user's own cache folder (`$DERIVATIONS_CACHE`, else `$XDG_CACHE_HOME/derivations`, else
`~/.cache/derivations`); `DERIVATIONS_CACHE=off` disables it. A corrupt or unreadable
file is ignored and rewritten.
"""

from __future__ import annotations

import atexit
import os
import pickle
from pathlib import Path
from typing import Any

import sympy as sp

from derivations.files import write_atomic

_entries: dict[str, Any] | None = None
_dirty = False


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
    return folder / f"rearrange-sympy{sp.__version__}-{fingerprint()[:16]}.pickle"


def _load() -> dict[str, Any]:
    global _entries
    if _entries is None:
        _entries = {}
        path = _file()
        if path is not None and path.exists():
            try:
                loaded = pickle.loads(path.read_bytes())
                if isinstance(loaded, dict):
                    _entries = loaded
            except Exception:  # noqa: BLE001 - a bad cache is only a slower run
                _entries = {}
        atexit.register(save)
    return _entries


def key(expr: sp.Basic, extra: Any) -> str:
    return sp.srepr(expr) + "|" + sp.srepr(extra)


def get(expr: sp.Basic, extra: Any) -> Any:
    """The cached result for `expr` and `extra` (an unknown, or a tuple of symbols)."""
    return _load().get(key(expr, extra))


def put(expr: sp.Basic, extra: Any, value: Any) -> None:
    global _dirty
    _load()[key(expr, extra)] = value
    _dirty = True


def save() -> None:
    """Write new entries (atomically); failures to write are ignored."""
    global _dirty
    path = _file()
    if not _dirty or path is None or _entries is None:
        return
    try:
        write_atomic(path, pickle.dumps(_entries))
        _dirty = False
        for stale in path.parent.glob("rearrange-*.pickle"):  # other code versions
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
