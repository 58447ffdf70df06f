"""How a value is shown: rounded digits in a unit, computed once for every format.

Rounding for display happens here (through `numbers.digits`), never earlier. Memory
answers are always shown in both decimal (GB) and binary (GiB) units, because
confusing the two is the most common memory slip. `Shown` and `Displayed` are plain
data with one small spelling method per format (text, LaTeX); an HTML writer adds
its own spelling of the same digits rather than rounding again.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from derivations.library.units import CANONICAL, UNITS, best_byte_units, default_display
from derivations.numbers import Digits, digits, to_float
from derivations.present.printing import escape_latex
from derivations.solver.solution import Answer, Value


@dataclass(frozen=True)
class Shown:
    """One value in one unit, rounded for display."""

    digits: Digits
    unit: str

    def text(self) -> str:
        unit = unit_label(self.unit)
        return f"{self.digits.text()} {unit}".rstrip()

    def markup(self) -> str:
        """Prose markup (`sheet.mathtext`): `$1.648 \\times 10^{24}$ FLOP`, so that
        feedback quoting a value is typeset in every output."""
        number = self.digits.mantissa.replace(" ", "\\,").replace("-", "−")
        if self.digits.exponent:
            number += f" \\times 10^{{{self.digits.exponent}}}"
        unit = unit_label(self.unit)
        return f"${number}$" + (f" {unit}" if unit else "")

    def latex(self, plain: bool = False) -> str:
        """siunitx LaTeX (`plain`: without siunitx, for MathJax)."""
        unit = unit_label(self.unit)
        if plain:
            number = self.digits.mantissa.replace(" ", "\\,") + (
                rf" \times 10^{{{self.digits.exponent}}}" if self.digits.exponent else "")
        else:
            number = rf"\num{{{self.digits.siunitx()}}}"
        return number + (rf"~\text{{{escape_latex(unit)}}}" if unit else "")


@dataclass(frozen=True)
class Displayed:
    """An answer or given as a reader sees it: a truth value, a vector, or equal values.

    Attributes:
        values: one value in one or more units, written joined by `=`
            (`350 GB = 325.96 GiB`).
        items: the entries of a vector, each in `unit`.
        unit: the unit written once after a vector.
        truth: the verdict of a true/false answer.
    """

    values: tuple[Shown, ...] = ()
    items: tuple[Shown, ...] = ()
    unit: str = ""
    truth: bool | None = None

    def text(self) -> str:
        """`1.648 × 10^24 FLOP`, `3.5 × 10^11 B = 350 GB = 325.96 GiB`, `true`, `[49, ...]`."""
        if self.truth is not None:
            return "true" if self.truth else "false"
        if self.items:
            shown = ", ".join(item.digits.text() for item in self.items)
            return f"[{shown}] {unit_label(self.unit)}".rstrip()
        return " = ".join(value.text() for value in self.values)

    def markup(self) -> str:
        """The same as prose markup (see `Shown.markup`)."""
        if self.truth is not None:
            return "true" if self.truth else "false"
        if self.items:
            shown = ", ".join(item.markup() for item in self.items)
            return f"[{shown}] {unit_label(self.unit)}".rstrip()
        return " = ".join(value.markup() for value in self.values)

    def latex(self, plain: bool = False) -> str:
        """The same in math-mode LaTeX (siunitx numbers; `plain`: without siunitx)."""
        if self.truth is not None:
            return r"\text{" + ("true" if self.truth else "false") + "}"
        if self.items:
            unit = unit_label(self.unit)
            shown = ",\\ ".join(item.latex(plain) for item in self.items)
            tail = rf"~\text{{{escape_latex(unit)}}}" if unit else ""
            return rf"\left({shown}\right){tail}"
        return " = ".join(value.latex(plain) for value in self.values)


GIVEN_SIG = 6  # figures shown for a given (givens tables, values quoted in statements)


def given_display(value: Value, unit: str) -> Displayed:
    if isinstance(value, tuple):
        return Displayed(items=tuple(Shown(digits(v, GIVEN_SIG), "1") for v in value))
    return Displayed(values=(in_unit(value, default_display(unit), GIVEN_SIG),))


def unit_label(unit: str) -> str:
    """How a unit is written next to a number ('' for pure numbers)."""
    if unit in ("1", ""):
        return ""
    return CANONICAL.get(unit, unit)


def in_unit(value: sp.Expr, unit: str, sig: int) -> Shown:
    """`value` (canonical) expressed in display unit `unit`, to `sig` figures."""
    factor = UNITS[unit].factor if unit in UNITS else 1
    scaled = value / sp.Rational(factor.numerator, factor.denominator) if factor != 1 else value
    return Shown(digits(scaled, sig), unit)


def shown_values(answer: Answer) -> list[Shown]:
    """The answer in its display unit, then (for bytes) in the other unit family."""
    assert not isinstance(answer.value, bool | tuple)
    first = in_unit(answer.value, answer.display_unit, answer.sig)
    if answer.unit != "byte":
        return [first]
    decimal, binary = best_byte_units(to_float(answer.value))
    extra = [u for u in (decimal, binary) if u not in (answer.display_unit, "B")]
    return [first, *[in_unit(answer.value, u, answer.sig) for u in dict.fromkeys(extra)]]


def displayed(answer: Answer) -> Displayed:
    """What the result line of an answer shows, in every format."""
    if isinstance(answer.value, bool):
        return Displayed(truth=answer.value)
    if isinstance(answer.value, tuple):
        items = tuple(in_unit(v, answer.display_unit, answer.sig) for v in answer.value)
        return Displayed(items=items, unit=answer.display_unit)
    return Displayed(values=tuple(shown_values(answer)))


def display_text(answer: Answer) -> str:
    """The result of an answer as plain text (see `Displayed.text`)."""
    return displayed(answer).text()


def display_latex(answer: Answer) -> str:
    """The boxed-result LaTeX of an answer (math mode)."""
    return displayed(answer).latex()


def _elasticity(answer: str, symbol: str) -> str:
    """d ln(answer) / d ln(input), as prose markup (see `sheet.mathtext`)."""
    return f"\\mathrm{{d}}\\ln {answer}/\\mathrm{{d}}\\ln {symbol}"


def _signed(number: str) -> str:
    """A number with a true minus sign (U+2212), as typeset math has."""
    return number.replace("-", "−")


def sensitivity_notes(answer: Answer) -> list[str]:
    """Warnings for a fragile answer: its largest elasticity, and what rounding does.

    Only inputs whose 3-figure rounding actually changes them get a rounding
    sentence (E = 1.69 is already exact); if none does, the largest elasticity is
    still reported, since any error in that input is amplified.
    """
    if not answer.fragile:
        return []
    notes = []
    for item in answer.sensitivities:
        if item.shift is None or item.rounded_input is None or item.shift == 0:
            continue
        rounded = digits(item.rounded_input, 3).text()
        notes.append(
            f"Sensitive: ${_elasticity(answer.ask, item.symbol)} = "
            f"{_signed(f'{item.elasticity:.3g}')}$. Rounding ${item.symbol}$ to 3 significant "
            f"figures ({rounded}) moves ${answer.ask}$ by {_signed(f'{item.shift * 100:+.1f}')}"
            f"%: keep full precision in ${item.symbol}$.")
    if not notes:
        top = answer.sensitivities[0]
        notes.append(f"Sensitive: ${_elasticity(answer.ask, top.symbol)} = "
                     f"{_signed(f'{top.elasticity:.3g}')}$; a 1% error in ${top.symbol}$ "
                     f"moves ${answer.ask}$ by about {abs(top.elasticity):.0f}%.")
    return notes
