"""How a value is shown: rounded digits in a unit, computed once for every format.

Rounding for display happens here (through `numbers.digits`), never earlier. Memory
answers are always shown in both decimal (GB) and binary (GiB) units, because
confusing the two is the most common memory slip. The results are plain data
(`present.shown`); each target spells them with its own speller (`present.text`,
`present.printing` for LaTeX and prose markup, `present.mathml`), never rounding again.
"""

from __future__ import annotations

from derivations.library.units import best_byte_units
from derivations.numbers import digits, figures, fixed, text, to_float
from derivations.present.printing import digits_markup
from derivations.present.shown import Displayed, Shown, in_unit
from derivations.sheet.model import Given
from derivations.solver.solution import Answer, Value, given_unit

GIVEN_SIG = 6  # figures shown for a given (givens tables, values quoted in statements)


def given_display(value: Value, given: Given) -> Displayed:
    """A given as the sheet's author wrote it: in the unit they wrote (`80 GB`, not
    `8 × 10^10 B`), else in its quantity's display unit."""
    if isinstance(value, tuple):
        return Displayed(items=tuple(Shown(digits(v, GIVEN_SIG), "1") for v in value))
    return Displayed(values=(in_unit(value, given_unit(given), GIVEN_SIG),))


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


def _elasticity(answer: str, symbol: str) -> str:
    """d ln(answer) / d ln(input), as prose markup (see `sheet.mathtext`)."""
    return f"\\mathrm{{d}}\\ln {answer}/\\mathrm{{d}}\\ln {symbol}"


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
        rounded = text(digits(item.rounded_input, 3))
        notes.append(
            f"Sensitive: ${_elasticity(answer.unknown.name, item.symbol)} = "
            f"{digits_markup(figures(item.elasticity, 3))}$. Rounding ${item.symbol}$ to 3 "
            f"significant figures ({rounded}) moves ${answer.unknown.name}$ by "
            f"{fixed(item.shift * 100, 1, signed=True).replace('-', '−')}"
            f"%: keep full precision in ${item.symbol}$.")
    if not notes:
        top = answer.sensitivities[0]
        notes.append(f"Sensitive: ${_elasticity(answer.unknown.name, top.symbol)} = "
                     f"{digits_markup(figures(top.elasticity, 3))}$; a 1% error in "
                     f"${top.symbol}$ moves ${answer.unknown.name}$ by about "
                     f"{fixed(abs(top.elasticity), 0)}%.")
    return notes
