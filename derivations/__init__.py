"""derivations: worked, checked solutions for the arithmetic of training LLMs.

The Python API::

    from derivations import example, solve, load
    solved = solve(example("genai_week4"))            # a path, or TOML text
    solved["E2.D_new"].value                          # 7544071237963.78 (tokens)
    solved["E2.D_new"]                                # worked steps in a notebook

`solve` and `load` are imported on first use, so `derive --help` stays fast.
"""

from pathlib import Path
from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "example", "load", "solve"]


def example(name: str) -> Path:
    """The path of a shipped example sheet (`genai_week4`, `dlp_week4`, `gpu_memory`,
    `lecture_examples`), so a notebook or script works outside the repository."""
    from derivations.fingerprint import shipped_examples

    folder = shipped_examples()
    names = sorted(p.stem for p in folder.glob("*.toml"))
    if name not in names:
        raise ValueError(f"no example sheet {name!r}; the examples are {', '.join(names)}")
    return folder / f"{name}.toml"


def __getattr__(name: str) -> Any:
    if name in ("solve", "load"):
        from derivations import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'derivations' has no attribute {name!r}")
