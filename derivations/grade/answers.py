"""Reading what students write: `1.65 x 10^24`, `6.48 trillion`, `54 GiB`, `true`.

A small grammar, not an evaluator: the text is normalised (unicode times signs and
superscripts, thousands separators), matched against one regular expression for a
number with optional power of ten, scale word and unit, and converted to an exact
`Fraction` in a canonical unit. Anything else is `Unparsed` with a reason; nothing a
student writes can raise or run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from derivations.library.units import UNITS

MAX_LENGTH = 200
MAX_EXPONENT = 400
#: Numbers are compared as floats: anything outside this magnitude range is refused
#: with a reason (10^-250 .. 10^250 leaves room for unit factors up to 10^24).
SMALLEST, LARGEST = Fraction(1, 10**250), Fraction(10**250)

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SCALES = {
    "thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6,
    "billion": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12, "t": 10**12,
    "quadrillion": 10**15,
}
_UNIT_ALIASES = {
    "b": "B", "byte": "B", "bytes": "B",
    "kb": "KB", "mb": "MB", "gb": "GB", "tb": "TB",
    "kib": "KiB", "mib": "MiB", "gib": "GiB", "tib": "TiB",
    "flop": "FLOP", "flops": "FLOP", "flop/s": "FLOP/s",
    "gflop": "GFLOP", "tflop": "TFLOP", "pflop": "PFLOP", "eflop": "EFLOP",
    "pflop-day": "PFLOP-day", "pflop-days": "PFLOP-day", "pf-days": "PFLOP-day",
    "token": "token", "tokens": "token",
    "parameter": "parameter", "parameters": "parameter", "param": "parameter",
    "params": "parameter", "weights": "parameter",
    "epoch": "epoch", "epochs": "epoch",
    "step": "step", "steps": "step", "iterations": "step", "iteration": "step",
    "updates": "step",
    "sample": "sample", "samples": "sample",
    "gpu": "GPU", "gpus": "GPU",
    "%": "%", "percent": "%",
    "s": "s", "h": "h", "day": "day", "days": "day",
}
_TRUE = {"true", "t", "yes", "y", "1", "correct"}
_FALSE = {"false", "f", "no", "n", "0", "incorrect"}
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<mantissa>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE](?P<exp>[+-]?[0-9]+))?"
    r"(?:\s*(?:x|\*|·)\s*10\s*(?:\^|\*\*)\s*\(?(?P<exp2>[+-]?[0-9]+)\)?)?"
    r"\s*(?P<rest>.*)$")
_THOUSANDS = re.compile(r"(?<![0-9.])([0-9]{1,3})((?:,[0-9]{3})+)(?![0-9])")


@dataclass(frozen=True)
class Number:
    """A parsed quantity: exact value in `unit` (a display unit name, or None)."""

    value: Fraction
    unit: str | None
    text: str


@dataclass(frozen=True)
class Boolean:
    value: bool
    text: str


@dataclass(frozen=True)
class Vector:
    values: tuple[Fraction, ...]
    text: str


@dataclass(frozen=True)
class Unparsed:
    """Text that is not an answer the grader understands, and why."""

    reason: str
    text: str


Parsed = Number | Boolean | Vector | Unparsed


def parse_answer(text: object) -> Parsed | None:
    """Parse one answer cell; None when it is empty (a missing answer)."""
    if text is None:
        return None
    if isinstance(text, bool):
        return Boolean(text, str(text))
    return _parse_text(str(text))


@lru_cache(maxsize=2**16)
def _parse_text(raw: str) -> Parsed | None:
    """Cached: a class writes the same few forms (`8`, `true`, `54 GiB`) many times."""
    if len(raw) > MAX_LENGTH:
        return Unparsed(f"longer than {MAX_LENGTH} characters", raw[:40] + "...")
    cleaned = _normalise(raw)
    if not cleaned:
        return None
    lowered = cleaned.lower()
    if lowered in _TRUE - {"1", "0"} or lowered in _FALSE - {"1", "0"}:
        return Boolean(lowered in _TRUE, raw)
    if cleaned.startswith("[") or cleaned.startswith("("):
        return _vector(cleaned, raw)
    return _number(cleaned, raw)


def as_boolean(parsed: Parsed) -> bool | None:
    """A true/false reading of an answer (`1`/`0` count for true/false asks)."""
    if isinstance(parsed, Boolean):
        return parsed.value
    if isinstance(parsed, Number) and parsed.unit is None and parsed.value in (0, 1):
        return parsed.value == 1
    return None


def _normalise(text: str) -> str:
    text = text.strip().replace("\u2212", "-").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"\s*[×✕⨯]\s*", " x ", text)
    text = re.sub(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)", lambda m: "10^" + m.group(1).translate(_SUPERSCRIPTS),
                  text)
    text = _THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(",", ""), text)
    return re.sub(r"\s+", " ", text).strip()


def _number(cleaned: str, raw: str) -> Parsed:
    match = _NUMBER.match(cleaned)
    if not match:
        if re.search(r"\d", cleaned) and not cleaned.isascii():
            return Unparsed("use plain digits 0-9", raw)
        return Unparsed("not a number", raw)
    exponent = int(match.group("exp") or 0) + int(match.group("exp2") or 0)
    if abs(exponent) > MAX_EXPONENT:
        return Unparsed("exponent out of range", raw)
    value = Fraction(match.group("mantissa")) * Fraction(10) ** exponent
    if match.group("sign") == "-":
        value = -value
    scale, unit, problem = _scale_and_unit(match.group("rest"))
    if problem:
        return Unparsed(problem, raw)
    value *= scale
    if value and not SMALLEST <= abs(value) <= LARGEST:
        return Unparsed("the number is out of range (the grader compares magnitudes from "
                        "10^-250 to 10^250)", raw)
    return Number(value, unit, raw)


def _scale_and_unit(rest: str) -> tuple[Fraction, str | None, str]:
    """Split `trillion tokens`, `T`, `GiB`, `%` into a scale factor and a unit."""
    rest = rest.strip()
    if not rest:
        return Fraction(1), None, ""
    unit = _unit(rest)
    if unit is not None:
        return Fraction(1), unit, ""
    word, _, tail = rest.partition(" ")
    for candidate, remainder in ((word, tail), (rest[:1], rest[1:])):
        scale = _SCALES.get(candidate.lower())
        if scale is None or (candidate == rest[:1] and candidate.lower() == "m" and remainder):
            continue
        if not remainder.strip():
            return Fraction(scale), None, ""
        unit = _unit(remainder.strip())
        if unit is not None:
            return Fraction(scale), unit, ""
    return Fraction(1), None, f"unknown unit {rest!r}"


def _unit(text: str) -> str | None:
    if text in UNITS:
        return text
    return _UNIT_ALIASES.get(text.lower())


def _vector(cleaned: str, raw: str) -> Parsed:
    inner = cleaned.strip("[]() ")
    parts = [p.strip() for p in re.split(r"[,;]\s*|\s+", inner) if p.strip()]
    if not parts or len(parts) > 64:
        return Unparsed("not a list of numbers", raw)
    values = []
    for part in parts:
        parsed = _number(part, raw)
        if isinstance(parsed, Unparsed) and "out of range" in parsed.reason:
            return parsed
        if not isinstance(parsed, Number) or parsed.unit is not None:
            return Unparsed("not a list of numbers", raw)
        values.append(parsed.value)
    return Vector(tuple(values), raw)
