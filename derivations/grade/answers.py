"""Reading what students write: `1.65 x 10^24`, `6.48 trillion`, `54 GiB`, `true`.

A small grammar, not an evaluator: the text is normalised (unicode times signs and
superscripts, thousands separators), matched against one regular expression for a
number with optional power of ten, scale word and unit, and converted to an exact
`Fraction` in a canonical unit. Anything else is `Unparsed` with a reason; nothing a
student writes can raise or run.
"""

from __future__ import annotations

import dataclasses
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
    "kilobyte": "KB", "kilobytes": "KB", "megabyte": "MB", "megabytes": "MB",
    "gigabyte": "GB", "gigabytes": "GB", "terabyte": "TB", "terabytes": "TB",
    "kibibyte": "KiB", "kibibytes": "KiB", "mebibyte": "MiB", "mebibytes": "MiB",
    "gibibyte": "GiB", "gibibytes": "GiB", "tebibyte": "TiB", "tebibytes": "TiB",
    "flop": "FLOP", "flops": "FLOP", "flop/s": "FLOP/s",
    "gflop": "GFLOP", "tflop": "TFLOP", "pflop": "PFLOP", "eflop": "EFLOP",
    "zflop": "ZFLOP", "yflop": "YFLOP", "gflops": "GFLOP", "tflops": "TFLOP",
    "pflops": "PFLOP", "eflops": "EFLOP", "zflops": "ZFLOP", "yflops": "YFLOP",
    "pflop-day": "PFLOP-day", "pflop-days": "PFLOP-day", "pf-days": "PFLOP-day",
    "pflops-day": "PFLOP-day", "pflops-days": "PFLOP-day", "petaflop-days": "PFLOP-day",
    "nat": "1", "nats": "1",
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
    "second": "s", "seconds": "s", "sec": "s", "secs": "s", "hour": "h", "hours": "h",
    "hrs": "h",
}
#: Words before a unit that do not change it: "2.64 extra epochs", "18.87M trainable
#: parameters". ("total" is not here: total versus additional epochs is a mistake.)
_ADJECTIVES = {"extra", "additional", "more", "further", "trainable", "optimizer",
               "optimiser", "training", "gradient", "update", "new", "unique"}
_APPROXIMATELY = re.compile(r"^(?:≈|~|≃|∼|=|about|approx\.?|approximately|roughly|around|"
                            r"circa|ca\.)\s*", re.IGNORECASE)
_NAME_PREFIX = re.compile(r"^[A-Za-z_][\w.'′]*\s*(?:=|:|≈)\s*")
_WORD_PREFIX = re.compile(r"^(?:[A-Za-z]+\s+)+(?=[+-]?\.?\d)")
_SPACE_GROUPS = re.compile(r"(?<![\d.,])(\d{1,3})((?: \d{3})+)(?![\d.,])")
_AMBIGUOUS_COMMA = re.compile(r"^([+-]?)(\d{1,3}),(\d{3})(?![\d,.])")
_DECIMAL_COMMA = re.compile(r"^([+-]?\d+),(\d{1,2}|\d{4,})(?![\d,])")
_TRUE = {"true", "t", "yes", "y", "1", "correct"}
_FALSE = {"false", "f", "no", "n", "0", "incorrect"}
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<mantissa>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE](?P<exp>[+-]?[0-9]+))?"
    r"(?:\s*(?:x|\*|·|⋅)\s*10\s*(?:\^|\*\*)\s*\{?\(?(?P<exp2>[+-]?[0-9]+)\)?\}?)?"
    r"\s*(?P<rest>.*)$")
_THOUSANDS = re.compile(r"(?<![0-9.])([0-9]{1,3})((?:,[0-9]{3})+)(?![0-9])")


@dataclass(frozen=True)
class Number:
    """A parsed quantity: exact value in `unit` (a display unit name, or None)."""

    value: Fraction
    unit: str | None
    text: str
    decimal_comma: Fraction | None = None  # the other reading of `1,896` (1.896)


@dataclass(frozen=True)
class Boolean:
    value: bool
    text: str


@dataclass(frozen=True)
class Vector:
    values: tuple[Fraction, ...]
    text: str
    unit: str | None = None


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
    cleaned = _undecorate(_normalise(raw))
    if not cleaned:
        return None
    lowered = cleaned.lower()
    if lowered in _TRUE - {"1", "0"} or lowered in _FALSE - {"1", "0"}:
        return Boolean(lowered in _TRUE, raw)
    if cleaned.startswith("[") or cleaned.startswith("("):
        return _vector(cleaned, raw)
    ambiguous = _AMBIGUOUS_COMMA.match(cleaned)
    if ambiguous:  # 1,896: a thousands separator, or a decimal comma? keep both readings
        sign, whole, part = ambiguous.groups()
        rest = cleaned[ambiguous.end():]
        first = _number(f"{sign}{whole}{part}{rest}", raw)
        second = _number(f"{sign}{whole}.{part}{rest}", raw)
        if isinstance(first, Number) and isinstance(second, Number):
            return dataclasses.replace(first, decimal_comma=second.value)
        return first
    decimal = _DECIMAL_COMMA.match(cleaned)
    if decimal:  # 1,9 or 0,28: a comma that cannot separate thousands
        cleaned = f"{decimal.group(1)}.{decimal.group(2)}{cleaned[decimal.end():]}"
    return _number(_THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(",", ""),
                                  cleaned), raw)


def _undecorate(text: str) -> str:
    """What surrounds a number in a written answer: `C = `, `rank `, `≈`, a final `.`."""
    text = text.rstrip(".!;").strip() if not re.search(r"\d\.$", text) or \
        re.search(r"[eE^]\s*[+-]?\d+\.$|\d\.\d+\.$", text) else text
    for _ in range(2):
        text = _APPROXIMATELY.sub("", text)
        text = _NAME_PREFIX.sub("", text)
        text = _WORD_PREFIX.sub("", text)
    return text.strip()


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
    text = re.sub(r"(?<=\d)\s*X\s*(?=10)", " x ", text)
    text = re.sub(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)", lambda m: "10^" + m.group(1).translate(_SUPERSCRIPTS),
                  text)
    text = re.sub(r"\s+", " ", text).strip()
    return _SPACE_GROUPS.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), text)


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
    """Split `trillion tokens`, `T`, `GiB`, `%` into a scale factor and a unit.

    A second statement of the same value (`350 GB (326 GiB)`, `54 GiB = 57.98 GB`) is
    dropped: the first quantity is the answer.
    """
    rest = re.split(r"\s*(?:\(|=|≈)", rest.strip(), maxsplit=1)[0].strip()
    if not rest:
        return Fraction(1), None, ""
    unit = _unit(rest)
    if unit is not None:
        return Fraction(1), unit, ""
    word, _, tail = rest.partition(" ")
    for candidate, remainder in ((word, tail), (rest[:1], rest[1:])):
        scale = _SCALES.get(candidate.lower())
        if scale is None or (candidate == rest[:1] and remainder
                             and not remainder[0].isspace()):
            continue
        if not remainder.strip():
            return Fraction(scale), None, ""
        unit = _unit(remainder.strip())
        if unit is not None:
            return Fraction(scale), unit, ""
    return Fraction(1), None, f"unknown unit {rest!r}"


def unit_name(word: str) -> str | None:
    """The unit (a key of `library.units.UNITS`) a written word names: `GB`, `tokens`,
    `FLOPs`, `hours`; None for other words. Shared with `derive check-work`."""
    return word if word in UNITS else _UNIT_ALIASES.get(word.lower())


def scale_of(word: str) -> int | None:
    """10^k for a scale word (`trillion`, `bn`); None otherwise."""
    return _SCALES.get(word.lower())


def _unit(text: str) -> str | None:
    """A unit name or alias; adjectives before it (`extra epochs`) are dropped."""
    words = text.split()
    while len(words) > 1 and words[0].lower() in _ADJECTIVES:
        words = words[1:]
    text = " ".join(words)
    if text in UNITS:
        return text
    return _UNIT_ALIASES.get(text.lower())


def _vector(cleaned: str, raw: str) -> Parsed:
    close = max(cleaned.rfind("]"), cleaned.rfind(")"))
    inner, tail = (cleaned[1:close], cleaned[close + 1:].strip()) if close > 0 \
        else (cleaned[1:], "")
    unit = _unit(tail) if tail else None
    if tail and unit is None:
        return Unparsed(f"unknown unit {tail!r}", raw)
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
    return Vector(tuple(values), raw, unit)
