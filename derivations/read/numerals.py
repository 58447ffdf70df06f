"""Numerals as people write them: digit grouping and decimal marks of every locale.

The rules come from CLDR's number symbols and the SI brochure (5.4.4), not from a
list of examples:

- a *group separator* splits the integer part into groups of three digits: comma
  (`12,288`, en), period (`1.234.567`, de), space, no-break space, thin space or
  narrow no-break space (`15 625`, fr and the SI), apostrophe or typographic
  apostrophe (`15'625`, `15’625`, de-CH), and in LaTeX `{,}`, `\\,`, `\\ `, `~`;
  the Indian system groups the thousands in threes and the rest in twos (`12,34,567`);
- one numeral uses one group separator throughout, and a *decimal mark* that differs
  from it: `1.234,5` and `1 234,5` have a decimal comma, `1,234.5` a decimal point;
- the SI also groups the digits after the decimal mark in threes with a thin space
  (`3.141 592`); only thin spaces and `\\,` are read there, never a plain space;
- `1,896` (one group, a comma, no decimal part) is ambiguous between 1896 and 1.896
  and keeps both readings; so is `62.500` (a decimal point first, as English reads
  it, and 62 500 as German groups it);
- an exponent follows as `e24`, `E+24`, or `E24` after one space (`1.65 E24`).

`scan` reads one numeral and says how precise it was written: half a unit in its last
place (`6.48` -> 0.005, `350` -> 5 since a whole number's trailing zeros are not
significant, `350.` -> 0.5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

#: Group separators, longest first (a LaTeX spelling before its one-character prefix).
GROUPS = ("{,}", "\\,", "\\ ", "\\;", "\\:", ",", ".", "'", "’", "~", " ", "\u2009",
          "\u202f", "\u00a0", "\u2008")
_FIRST = {separator[0] for separator in GROUPS}
_FRACTION_GROUPS = ("\\,", "\u2009", "\u202f", "\u00a0")
_DIGITS = re.compile(r"\d+")
_INDIAN = re.compile(r"(?:,\d{2})+,\d{3}(?![\d,])")
_EXPONENT = re.compile(r"(?:[eE]|\s[eE](?=[+-]?\d))([+-]?\d{1,4})(?!\d|\.\d)")
VULGAR = {"½": Fraction(1, 2), "⅓": Fraction(1, 3), "⅔": Fraction(2, 3), "¼": Fraction(1, 4),
          "¾": Fraction(3, 4), "⅕": Fraction(1, 5), "⅖": Fraction(2, 5), "⅗": Fraction(3, 5),
          "⅘": Fraction(4, 5), "⅙": Fraction(1, 6), "⅚": Fraction(5, 6), "⅛": Fraction(1, 8),
          "⅜": Fraction(3, 8), "⅝": Fraction(5, 8), "⅞": Fraction(7, 8)}


@dataclass(frozen=True)
class Numeral:
    """One numeral read: its exact value, half a unit in its last place, where it ends,
    and the decimal-comma reading of an ambiguous `1,896` (None otherwise)."""

    value: Fraction
    half: Fraction
    end: int
    alternative: Fraction | None = None


def scan(text: str, start: int) -> Numeral | None:
    """The numeral at `start` (a digit, or `.` before a digit), or None."""
    lead = _DIGITS.match(text, start)
    if lead is None:
        if text.startswith(".", start) and (tail := _DIGITS.match(text, start + 1)):
            return _finish(text, "0", tail.group(0), tail.end(), None)
        return None
    whole, at = lead.group(0), lead.end()
    grouped = _groups(text, at) if len(whole) <= 3 else None
    alternative = None
    decimal_marks: tuple[str, ...] = (".", ",", "{,}")
    if grouped is not None:
        separator, groups, at = grouped
        if separator in (",", "{,}") and len(groups) == 1 and not _decimal_after(
                text, at, (".",)) and not _EXPONENT.match(text, at):
            alternative = Fraction(f"{whole}.{groups[0]}")
        whole += "".join(groups)
        decimal_marks = tuple(m for m in (".", ",", "{,}") if m != separator and not (
            separator in (",", "{,}") and m in (",", "{,}")))
    places = ""
    mark = _decimal_after(text, at, decimal_marks)
    if mark is not None:
        places, at = _fraction(text, at + len(mark))
        if mark == "." and grouped is None and len(whole) <= 3 and len(places) == 3 and \
                not whole.startswith("0") and not _EXPONENT.match(text, at) and \
                not text.startswith(".", at):
            alternative = Fraction(whole + places)  # `62.500`: 62.5, or 62 500 (de)
    return _finish(text, whole, places, at, alternative)


def _groups(text: str, at: int) -> tuple[str, list[str], int] | None:
    """Groups of three after the leading digits, all with one separator; or the
    Indian grouping (CLDR en-IN `#,##,##0`: `12,34,567`, `1,00,000`)."""
    indian = _INDIAN.match(text, at)
    if indian and at and re.match(r"\d{1,2}$", text[max(0, at - 2):at]):
        digits = indian.group(0).replace(",", "")
        return ",", [digits[k:k + 3] for k in range(0, len(digits), 3)], indian.end()
    if text[at:at + 1] not in _FIRST:
        return None
    for separator in GROUPS:
        groups: list[str] = []
        position = at
        while text.startswith(separator, position) and _three(text, position + len(separator)):
            position += len(separator)
            groups.append(text[position:position + 3])
            position += 3
        if not groups:
            continue
        if separator == "." and len(groups) == 1 and not re.match(r",\d", text[position:]):
            return None  # `1.896`: a decimal point (`scan` keeps 1896 as the other reading)
        return separator, groups, position
    return None


def _three(text: str, at: int) -> bool:
    """Exactly three digits at `at`, not followed by another digit."""
    return bool(re.match(r"\d{3}(?!\d)", text[at:at + 4]))


def _decimal_after(text: str, at: int, marks: tuple[str, ...]) -> str | None:
    """The decimal mark at `at` (followed by a digit), or None. A comma reaching here
    is decimal: three digits after one to three would have been read as a group."""
    for mark in sorted(marks, key=len, reverse=True):
        if text.startswith(mark, at) and _DIGITS.match(text, at + len(mark)):
            return mark
    return None


def _fraction(text: str, at: int) -> tuple[str, int]:
    """Digits after the decimal mark, with SI thin-space groups (`3.141 592`)."""
    digits = _DIGITS.match(text, at)
    assert digits is not None
    places, at = digits.group(0), digits.end()
    if len(places) % 3 == 0:
        for separator in _FRACTION_GROUPS:
            while text.startswith(separator, at) and re.match(r"\d{1,3}(?!\d)",
                                                              text[at + len(separator):]):
                group = re.match(r"\d{1,3}", text[at + len(separator):])
                assert group is not None
                places += group.group(0)
                at += len(separator) + len(group.group(0))
                if len(group.group(0)) < 3:
                    break
    return places, at


def _finish(text: str, whole: str, places: str, at: int, alternative: Fraction | None
            ) -> Numeral:
    value = Fraction(int(whole + places), 10 ** len(places))
    exponent = 0
    if at < len(text) and text[at] in "eE \t":
        found = _EXPONENT.match(text, at)
        if found is not None:
            exponent = int(found.group(1))
            at = found.end()
    scale = Fraction(10 ** exponent) if exponent >= 0 else Fraction(1, 10 ** -exponent)
    if places:
        place = Fraction(1, 10 ** len(places))
    else:
        stripped = whole.lstrip("0").rstrip("0")
        zeros = len(whole.lstrip("0")) - len(stripped) if stripped else 0
        place = Fraction(10) ** zeros
    half = place * scale / 2
    return Numeral(value * scale, half, at,
                   alternative * scale if alternative is not None else None)
