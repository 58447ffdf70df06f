"""A hash of the package's code and templates.

Why: a build is redone, and a cached rearrangement is trusted, only while the code
that produced it is unchanged; hashing the files (not their times) makes that exact.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from derivations import __version__

PACKAGE_DIR = Path(__file__).parent


@cache
def fingerprint() -> str:
    """Hex digest of every .py and .j2 file of the package (computed once per process)."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in (".py", ".j2") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()
