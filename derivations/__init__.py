"""derivations: worked, checked solutions for the arithmetic of training LLMs.

The Python API::

    from derivations import solve, load
    solved = solve("problems/genai_week4.toml")      # a path, or TOML text
    solved["E2.D_new"].value                          # 7544071237963.78 (tokens)
    solved["E2.D_new"]                                # worked steps in a notebook

`solve` and `load` are imported on first use, so `derive --help` stays fast.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "load", "solve"]


def __getattr__(name: str) -> Any:
    if name in ("solve", "load"):
        from derivations import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'derivations' has no attribute {name!r}")
