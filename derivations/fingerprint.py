"""Where the shipped templates are, and a hash of the package's code and templates.

Why a hash: a build is redone, and a cached rearrangement is trusted, only while the
code that produced it is unchanged; hashing the files (not their times) makes that
exact.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from derivations import __version__

PACKAGE_DIR = Path(__file__).parent
#: Images a template folder may hold (a department logo); TeX may include them.
ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".pdf", ".eps")
#: What a template folder's documents are made from (the pages' style sheet included).
TEMPLATE_SUFFIXES = (".j2", ".css")


@cache
def shipped_templates() -> Path:
    """The templates folder that comes with derivations.

    In a wheel it is package data (`derivations/templates/`, mapped from the
    top-level `templates/` by pyproject.toml); in a source checkout or an editable
    install it is the top-level `templates/` folder itself, the one copy that is
    edited.
    """
    inside = PACKAGE_DIR / "templates"
    return inside if inside.is_dir() else PACKAGE_DIR.parent / "templates"


def shipped_examples() -> Path:
    """The example sheets that come with derivations (`problems/` of the repository,
    `derivations/examples/` in a wheel), found the way `shipped_templates` is."""
    inside = PACKAGE_DIR / "examples"
    return inside if inside.is_dir() else PACKAGE_DIR.parent / "problems"


def folder_digest(folder: Path, suffixes: tuple[str, ...] = TEMPLATE_SUFFIXES) -> str:
    """Hex digest of the files with these suffixes below `folder` (names and contents)."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.suffix in suffixes and "__pycache__" not in path.parts and path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@cache
def fingerprint() -> str:
    """Hex digest of every .py file of the package and every shipped template."""
    h = hashlib.sha256(__version__.encode())
    h.update(folder_digest(PACKAGE_DIR, (".py",)).encode())
    h.update(folder_digest(shipped_templates()).encode())
    return h.hexdigest()
