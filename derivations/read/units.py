"""Unit words by their grammar: an optional prefix, a base, a plural, a `/` or `per`.

Why a grammar and not a list of spellings: students write `GB`, `GBs`, `gigabytes`,
`gibibytes`, `\\giga\\byte`, `Go` (French octets), `PB`, `TFLOPs`, `31.35 d`,
`4.48 weeks`, `nats/token`, `tokens per second`, and each new list entry only moved
the gap. The rules and where they come from:

- **Prefixes**: SI (`k M G T P E Z Y`, and `m µ n` for seconds only) and IEC 80000-13
  binary prefixes (`Ki Mi Gi Ti Pi Ei Zi Yi`), as symbols or words (`giga`, `gibi`).
  `K` is read as kilo too (a common informal spelling of `kB`).
- **Case** follows the SI and IEC symbols where it changes the meaning: `B` is a byte
  and `b` a bit, so `Gb` (upper-case prefix, lower-case b) is *gigabits*, a wrong unit
  for a byte question, never silently a GB. A word written all in lower case (`gb`,
  `gib`) has lost its case and is read as the byte unit, the usual informal spelling.
- **Plurals** add `s` to words and symbols alike (`bytes`, `GBs`, `GPUs`, `FLOPs`).
- **Rates and ratios**: `X/Y` or `X per Y` for the quotients the library measures
  (FLOP/s, tokens/s, nats/token, bytes/parameter).
- **Time**: s, min, h, d, week and the Julian year (365.25 d, the IAU's `a`); months
  have no fixed length and are refused by `month_problem`.

Scale words (`trillion`, `bn`, `tn`, `lakh`) are read here too, because a unit slot
often holds one (`7.5 trillion tokens`): short-scale English words and the CLDR
compact-number abbreviations (`K`, `M`, `B`, `T`, `bn`, `tn`, `mn`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

DAY = 86400


@dataclass(frozen=True)
class UnitWord:
    """A unit as written, read.

    Attributes:
        word: as written (`GBs`).
        canonical: the library's canonical unit it measures (`byte`, `FLOP`, `1`...).
        factor: canonical units per written unit, exact (`10**9`).
        kind: `byte`, `FLOP`, `time`, `count`, `scale`, `rate`, or `1` (pure numbers).
        bits: written in bits (`Gb`): a byte quantity, but the wrong unit.
        rate_or_count: `FLOPS`, which is the plural of FLOP or FLOP per second; the
            question decides.
    """

    word: str
    canonical: str
    factor: Fraction
    kind: str
    bits: bool = False
    rate_or_count: bool = False

    def as_tuple(self) -> tuple[str, Fraction, str]:
        return self.canonical, self.factor, self.kind


_SI = {"k": 3, "K": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18, "Z": 21, "Y": 24}
_SI_WORDS = {"kilo": 3, "mega": 6, "giga": 9, "tera": 12, "peta": 15, "exa": 18,
             "zetta": 21, "yotta": 24}
_SMALL = {"m": -3, "µ": -6, "μ": -6, "u": -6, "n": -9}
_SMALL_WORDS = {"milli": -3, "micro": -6, "nano": -9}
_IEC = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60, "Zi": 70, "Yi": 80}
_IEC_WORDS = {"kibi": 10, "mebi": 20, "gibi": 30, "tebi": 40, "pebi": 50, "exbi": 60,
              "zebi": 70, "yobi": 80}

#: Base units: written form -> (canonical, factor, kind). Symbols keep their case;
#: words are matched in lower case.
_SYMBOLS: dict[str, tuple[str, Fraction, str]] = {
    "B": ("byte", Fraction(1), "byte"), "o": ("byte", Fraction(1), "byte"),
    "b": ("byte", Fraction(1, 8), "byte"), "bit": ("byte", Fraction(1, 8), "byte"),
    "FLOP": ("FLOP", Fraction(1), "FLOP"), "FLOPs": ("FLOP", Fraction(1), "FLOP"),
    "FLOPS": ("FLOP", Fraction(1), "FLOP"), "F": ("FLOP", Fraction(1), "FLOP"),
    "s": ("second", Fraction(1), "time"), "h": ("second", Fraction(3600), "time"),
    "d": ("second", Fraction(DAY), "time"), "%": ("1", Fraction(1, 100), "1"),
}
_WORDS: dict[str, tuple[str, Fraction, str]] = {
    "byte": ("byte", Fraction(1), "byte"), "octet": ("byte", Fraction(1), "byte"),
    "bit": ("byte", Fraction(1, 8), "byte"),
    "flop": ("FLOP", Fraction(1), "FLOP"), "flops": ("FLOP", Fraction(1), "FLOP"),
    "token": ("token", Fraction(1), "count"), "tok": ("token", Fraction(1), "count"),
    "parameter": ("parameter", Fraction(1), "count"),
    "param": ("parameter", Fraction(1), "count"),
    "weight": ("parameter", Fraction(1), "count"),
    "epoch": ("epoch", Fraction(1), "count"),
    "step": ("step", Fraction(1), "count"), "iteration": ("step", Fraction(1), "count"),
    "iter": ("step", Fraction(1), "count"), "update": ("step", Fraction(1), "count"),
    "sample": ("sample", Fraction(1), "count"), "sequence": ("sample", Fraction(1), "count"),
    "gpu": ("GPU", Fraction(1), "count"),
    "gpu-hour": ("GPU-hour", Fraction(1), "count"),
    "gpu-hr": ("GPU-hour", Fraction(1), "count"),
    "second": ("second", Fraction(1), "time"), "sec": ("second", Fraction(1), "time"),
    "minute": ("second", Fraction(60), "time"), "min": ("second", Fraction(60), "time"),
    "hour": ("second", Fraction(3600), "time"), "hr": ("second", Fraction(3600), "time"),
    "day": ("second", Fraction(DAY), "time"),
    "week": ("second", Fraction(7 * DAY), "time"), "wk": ("second", Fraction(7 * DAY), "time"),
    "year": ("second", Fraction(36525 * DAY, 100), "time"),
    "yr": ("second", Fraction(36525 * DAY, 100), "time"),
    "nat": ("1", Fraction(1), "1"),
    "percent": ("1", Fraction(1, 100), "1"), "pct": ("1", Fraction(1, 100), "1"),
}
#: Quotients a library quantity is measured in: (numerator, denominator) -> canonical.
_QUOTIENTS = {("FLOP", "second"): "FLOP/s", ("token", "second"): "token/s",
              ("1", "token"): "1", ("byte", "parameter"): "byte/parameter"}
#: Prefixes a base may take: SI for bytes, FLOP and seconds (small ones for seconds
#: only), IEC for bytes only.
_PREFIXED_KINDS = {"byte", "FLOP"}

SCALE_WORDS: dict[str, int] = {
    "thousand": 3, "million": 6, "billion": 9, "trillion": 12, "quadrillion": 15,
    "quintillion": 18, "sextillion": 21, "septillion": 24, "octillion": 27,
    "lakh": 5, "crore": 7,
    "k": 3, "mn": 6, "mln": 6, "mm": 6, "bn": 9, "bln": 9, "tn": 12, "trn": 12,
}
#: One-letter scale abbreviations glued to a number (`67B`, `4.1T`, `18.87M`).
SCALE_LETTERS = {"k": 3, "K": 3, "M": 6, "m": 6, "B": 9, "b": 9, "G": 9, "T": 12, "t": 12}


def scale_of(word: str) -> int | None:
    """10^k for a scale word (`trillion`, `bn`, `lakhs`); None otherwise."""
    lowered = word.lower()
    if lowered in SCALE_WORDS:
        return 10 ** SCALE_WORDS[lowered]
    if lowered.endswith("s") and lowered[:-1] in SCALE_WORDS and len(lowered) > 4:
        return 10 ** SCALE_WORDS[lowered[:-1]]
    return None


def month_problem(word: str) -> str:
    """A reason to refuse a unit word that names no fixed amount ('' when fine)."""
    if word.lower().rstrip("s") in ("month", "mo", "mth"):
        return "a month has no fixed length: give days or weeks"
    return ""


@lru_cache(maxsize=4096)
def read_unit(word: str) -> UnitWord | None:
    """The unit a written word names, by the grammar in the module docstring; None
    for anything else (prose, a symbol, a scale word)."""
    word = word.strip()
    if not word or len(word) > 40:
        return None
    hyphen = re.fullmatch(r"(.+?)[- ]?(days?|hours?|hrs?)", word)
    if hyphen and (rate := _rate_day(word, hyphen.group(1), hyphen.group(2))):
        return rate
    for joiner in ("/", " per "):
        if joiner in word:
            top, _, bottom = word.partition(joiner)
            return _quotient(word, top.strip(), bottom.strip())
    found = _simple(word)
    if found is None:
        return None
    canonical, factor, kind, bits = found
    return UnitWord(word, canonical, factor, kind, bits=bits,
                    rate_or_count=word.upper() == word and word.endswith("FLOPS"))


def _quotient(word: str, top: str, bottom: str) -> UnitWord | None:
    upper, lower = _simple(top), _simple(bottom.removesuffix("s") if bottom.endswith("es")
                                         else bottom)
    if upper is None or lower is None:
        if upper is not None and bottom.lower() in ("sec", "second", "s"):
            lower = ("second", Fraction(1), "time", False)
        else:
            return None
    canonical = _QUOTIENTS.get((upper[0], lower[0]))
    if canonical is None:
        return None
    kind = "1" if canonical == "1" else "rate"
    return UnitWord(word, canonical, upper[1] / lower[1], kind)


def _rate_day(word: str, rate: str, span: str) -> UnitWord | None:
    """`PFLOP-days`, `PF-days`, `petaflop/s-days`, `pfs-days` (a FLOP rate kept up
    for a day or an hour, OpenAI's compute unit) and `GPU-days`."""
    seconds = 3600 if span.startswith("h") else DAY
    if rate.lower() in ("gpu", "gpus"):
        return UnitWord(word, "GPU-hour", Fraction(seconds, 3600), "count")
    rate = rate.removesuffix("/s").removesuffix("/sec")
    for candidate in (rate, rate[:-1] if rate.lower().endswith("fs") else ""):
        if candidate.upper().endswith("F"):
            candidate += "LOP" if candidate.endswith("F") else "lop"
        found = _simple(candidate) if candidate else None
        if found is not None and found[0] == "FLOP":
            return UnitWord(word, "FLOP", found[1] * seconds, "FLOP")
    return None


def _simple(word: str) -> tuple[str, Fraction, str, bool] | None:
    """(canonical, factor, kind, in bits) of a prefix + base + plural, or None."""
    if word.lower() == "per cent":
        return "1", Fraction(1, 100), "1", False
    lowercase = word.islower()
    for stem in _stems(word):
        found = _base(stem, False, lowercase)
        if found is not None:
            return found
        for prefix, power, table in _prefixes(stem):
            base = _base(stem[len(prefix):], True, lowercase)
            if base is None or (table == "small") != (base[2] == "time") or (
                    table != "small" and base[2] not in _PREFIXED_KINDS) or (
                    table == "iec" and base[2] != "byte"):
                continue
            factor = Fraction(2) ** power if table == "iec" else Fraction(10) ** power
            return base[0], base[1] * factor, base[2], base[3]
    return None


def _stems(word: str) -> list[str]:
    """The word, and the word without a plural `s` (`GBs`, `bytes`, `FLOPs`)."""
    stems = [word]
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        stems.append(word[:-1])
    return stems


def _base(stem: str, prefixed: bool, lowercase: bool) -> tuple[str, Fraction, str, bool] | None:
    """A base unit; `b` after a prefix is a bit unless the whole word lost its case
    (`Gb` is gigabits, `gb` is read as GB); `F` and `o` only after a prefix, and the
    octet `o` only after a capital one (`Go`, `To`: `to` and `go` are words)."""
    if prefixed and lowercase and stem == "b":
        return "byte", Fraction(1), "byte", False
    if stem in _SYMBOLS and (prefixed or stem not in ("F", "o", "b")):
        canonical, factor, kind = _SYMBOLS[stem]
        return canonical, factor, kind, stem in ("b", "bit")
    lowered = stem.lower()
    if (len(stem) >= 3 or lowered in ("hr", "wk", "yr")) and lowered in _WORDS:
        canonical, factor, kind = _WORDS[lowered]
        return canonical, factor, kind, lowered == "bit"
    return None


def _prefixes(stem: str) -> list[tuple[str, int, str]]:
    """Prefixes `stem` may start with, longest first: (prefix, power, table)."""
    found = []
    lowered = stem.lower()
    for words, table in ((_IEC_WORDS, "iec"), (_SI_WORDS, "si"), (_SMALL_WORDS, "small")):
        for prefix, power in words.items():
            if lowered.startswith(prefix) and len(stem) > len(prefix):
                found.append((stem[:len(prefix)], power, table))
    for symbols, table in ((_IEC, "iec"), (_SI, "si"), (_SMALL, "small")):
        for prefix, power in symbols.items():
            if stem.startswith(prefix) and len(stem) > len(prefix):
                found.append((prefix, power, table))
            elif stem.islower() and stem.startswith(prefix.lower()) and table != "small" \
                    and len(stem) > len(prefix) and stem[len(prefix):] in ("b", "ib", "flop",
                                                                          "flops"):
                found.append((stem[:len(prefix)], power, table))
    return sorted(found, key=lambda item: -len(item[0]))
