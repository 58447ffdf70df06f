"""Small pure helpers of the walk: statements of a chain, lines of terms, how a
relation and a ratio are worded, and the text the grader reads as an answer."""

from __future__ import annotations

import re
from fractions import Fraction

import mpmath

from derivations.read.lexicon import APPROX, EQUAL, IMPLIES
from derivations.read.nodes import Chain, Label, Num, Op, Term, Unit
from derivations.read.values import mpf, units_of, written_value
from derivations.work.writeup.document import Run
from derivations.work.writeup.spelling import spell

MAX_TEXT = 90


def unit_words(unit: str) -> str:
    return {"byte": "bytes", "1": "number", "FLOP": "FLOPs"}.get(unit, unit + "s")


def significand(value: Fraction) -> str:
    """The significant digits of a value, without its power of ten: 6.48 × 10^12 and
    6.48 both give `648`, so a literal repeating an earlier result is found by lookup."""
    if not value:
        return "0"
    sign = "-" if value < 0 else ""
    for k in range(41):
        scaled = abs(value) * 10**k
        if scaled.denominator == 1:
            return sign + str(scaled.numerator).rstrip("0")
    return f"{sign}{abs(value)}"  # not a decimal: its exact fraction


def rounded_significands(value: Fraction) -> list[str]:
    """The significant digits of `value` rounded to 2, 3, ... figures, fewer than it
    has (`3.336` -> `33`, `334`), so a later literal written to fewer figures is found."""
    digits = significand(value).lstrip("-")
    if not digits.isdigit():
        return []
    found = []
    for figures in range(2, len(digits)):
        rounded = str((int(digits[:figures + 1]) + 5) // 10)  # half up, as people round
        if len(rounded) == figures:  # `999` rounding up to `100` changes the length
            found.append(("-" if value < 0 else "") + rounded.rstrip("0"))
    return found


def power_of_ten(ratio: Fraction) -> int | None:
    """k when ratio is 10^k (|k| <= 24), else None; from the digits, not by trying."""
    numerator, denominator = ratio.numerator, ratio.denominator
    if numerator == 1:
        digits, sign = str(denominator), -1
    elif denominator == 1:
        digits, sign = str(numerator), 1
    else:
        return None
    if digits[0] != "1" or digits[1:].strip("0") or len(digits) > 25:
        return None
    return sign * (len(digits) - 1)


def split_statements(chain: Chain) -> list[list[int]]:
    statements: list[list[int]] = [[]]
    for k, term in enumerate(chain.terms):
        if k and chain.relations[k - 1] == IMPLIES:
            statements.append([])
        if not isinstance(term.node, Label):
            statements[-1].append(k)
    return [s for s in statements if s]


def last_statement_start(chain: Chain, kept: list[int]) -> int:
    starts = [i for i, k in enumerate(kept) if k and chain.relations[k - 1] == IMPLIES]
    return starts[-1] if starts else 0


def relation_sign(chain: Chain, start: int, end: int) -> str:
    signs = chain.relations[start:end]
    return APPROX if APPROX in signs else EQUAL


def term_lines(chain: Chain, run: Run) -> list[int]:
    lines, cursor = [], 0
    for term in chain.terms:
        found = run.source.find(term.text, cursor)
        if found >= 0:
            cursor = found
        lines.append(run.line + run.source[:cursor].count("\n"))
    return lines


def relation_text(a: Term, sign: str, b: Term) -> str:
    return f"{shortened(spell(a.node))} {sign} {shortened(spell(b.node))}"


def shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def ratio_words(left: mpmath.mpf, right: mpmath.mpf) -> str:
    """`(the right side is half the left)`, `(they differ by 1)`, or ''."""
    if not left or not right:
        return ""
    exact = float(right / left)
    ratio = Fraction(exact).limit_denominator(12)
    if ratio != 1 and abs(float(ratio) - exact) < 1e-9 * abs(float(ratio)):
        words = {Fraction(1, 2): "half", Fraction(2): "twice", Fraction(1, 3): "a third of",
                 Fraction(3): "three times"}.get(ratio, f"{ratio} times")
        return f" (the right side is {words} the left)"
    difference = right - left
    if abs(difference - mpmath.nint(difference)) < 1e-9 and mpmath.nint(difference):
        return f" (they differ by {int(mpmath.nint(difference))})"
    return ""


def answer_text(term: Term, value: mpmath.mpf, named: Unit | None = None) -> str:
    """What the grader reads as the answer: the figure as written (`6.48e12 tokens`,
    `54 GB`), or the computed value to 15 digits, with its unit word."""
    units = [u for u in units_of(term.node) if u.kind != "scale"]
    unit = units[0] if units else None
    if unit is None and named is not None:  # `\text{memory (in GB)} = ... = 28`
        return f"{answer_text(term, value)} {named.word}"
    word = unit.word.split("/")[0] if unit else ""
    node = term.node
    if isinstance(node, Op) and any(isinstance(a, Op) and a.kind == "pct" for a in node.args):
        word = "%"
    figure = node if isinstance(node, Num) else next(
        (a for a in node.args if isinstance(a, Num)), None) if isinstance(node, Op) else None
    found = written_value(node)
    if found is not None and figure is not None:
        scale = found[0] / figure.value / (unit.factor if unit else 1) if figure.value else 1
        scale *= 100 if word == "%" else 1
        exponent = power_of_ten(Fraction(scale))
        mantissa = re.sub(r"\{,\}|\\,|,", "", figure.text)
        if exponent is not None:
            sign = "-" if found[0] < 0 else ""
            return f"{sign}{mantissa}{f'e{exponent}' if exponent else ''} {word}".strip()
    number = value / mpf(unit.factor) if unit else value
    return f"{mpmath.nstr(number, 15)} {word}".strip()
