"""Units: canonical units per kind of quantity, and the display units that map onto them.

Every value the engine computes lives in a *canonical* unit (FLOP, token, parameter,
byte, ...). A display unit is a canonical unit times an exact factor, so GB (10^9) and
GiB (2^30) are two different, exact, first-class factors of the byte and can never be
confused. Factors are exact `Fraction`s so conversion never loses precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

#: Canonical units with the LaTeX (siunitx-friendly text) used to print them.
CANONICAL: dict[str, str] = {
    "1": "",
    "FLOP": "FLOP",
    "FLOP/s": "FLOP/s",
    "token": "tokens",
    "parameter": "parameters",
    "byte": "B",
    "byte/parameter": "B/parameter",
    "token/parameter": "tokens/parameter",
    "epoch": "epochs",
    "step": "steps",
    "sample": "samples",
    "second": "s",
    "GPU": "GPUs",
    "GPU-hour": "GPU-hours",
    "PFLOP-day": "PFLOP-days",
    "token/s": "tokens/s",
    "byte/s": "B/s",
    "USD": "USD",
    "USD/GPU-hour": "USD/GPU-hour",
}


@dataclass(frozen=True)
class DisplayUnit:
    """A unit a number may be shown in (or written in by a student).

    Attributes:
        name: how it is written (`GiB`).
        canonical: the canonical unit it measures (`byte`).
        factor: canonical units per display unit, exact (`2**30`).
    """

    name: str
    canonical: str
    factor: Fraction


def _units() -> dict[str, DisplayUnit]:
    table: list[tuple[str, str, Fraction | int]] = [
        ("1", "1", 1),
        ("%", "1", Fraction(1, 100)),
        ("FLOP", "FLOP", 1),
        ("GFLOP", "FLOP", 10**9),
        ("TFLOP", "FLOP", 10**12),
        ("PFLOP", "FLOP", 10**15),
        ("EFLOP", "FLOP", 10**18),
        ("ZFLOP", "FLOP", 10**21),
        ("YFLOP", "FLOP", 10**24),
        ("FLOP/s", "FLOP/s", 1),
        ("TFLOP/s", "FLOP/s", 10**12),
        ("PFLOP/s", "FLOP/s", 10**15),
        ("PFLOP-day", "PFLOP-day", 1),
        ("token", "token", 1),
        ("token/s", "token/s", 1),
        ("parameter", "parameter", 1),
        ("epoch", "epoch", 1),
        ("step", "step", 1),
        ("sample", "sample", 1),
        ("GPU", "GPU", 1),
        ("GPU-hour", "GPU-hour", 1),
        ("s", "second", 1),
        ("h", "second", 3600),
        ("day", "second", 86400),
        ("byte/parameter", "byte/parameter", 1),
        ("token/parameter", "token/parameter", 1),
        ("B/s", "byte/s", 1),
        ("GB/s", "byte/s", 10**9),
        ("TB/s", "byte/s", 10**12),
        ("ms", "second", Fraction(1, 1000)),
        ("USD", "USD", 1),
        ("USD/GPU-hour", "USD/GPU-hour", 1),
        ("byte", "byte", 1),
        ("B", "byte", 1),
        ("KB", "byte", 10**3),
        ("MB", "byte", 10**6),
        ("GB", "byte", 10**9),
        ("TB", "byte", 10**12),
        ("KiB", "byte", 2**10),
        ("MiB", "byte", 2**20),
        ("GiB", "byte", 2**30),
        ("TiB", "byte", 2**40),
    ]
    return {name: DisplayUnit(name, canon, Fraction(f)) for name, canon, f in table}


UNITS: dict[str, DisplayUnit] = _units()

_DECIMAL_BYTES = ("B", "KB", "MB", "GB", "TB")
_BINARY_BYTES = ("B", "KiB", "MiB", "GiB", "TiB")


_DEFAULT_DISPLAY = {"byte": "B", "second": "s", "byte/s": "GB/s"}


def default_display(canonical: str) -> str:
    """The display unit a canonical unit is shown in when a sheet names none."""
    return _DEFAULT_DISPLAY.get(canonical, canonical if canonical in UNITS else "1")


def best_byte_units(value_bytes: float) -> tuple[str, str]:
    """The decimal and binary byte units that show `value_bytes` as 1 to 999.

    Why: memory answers are shown in both GB and GiB, and each should be in the
    range a person reads easily (36 MiB, not 0.035 GiB).
    """
    return _best(value_bytes, _DECIMAL_BYTES), _best(value_bytes, _BINARY_BYTES)


def _best(value: float, names: tuple[str, ...]) -> str:
    chosen = names[0]
    for name in names:
        if abs(value) >= float(UNITS[name].factor):
            chosen = name
    return chosen
