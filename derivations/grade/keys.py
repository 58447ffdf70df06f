"""Answer keys: what marking one answer needs, prepared once per sheet as floats.

For every answer: the expected value, the values it takes when an intermediate was
rounded to 3 significant figures (`grade.rounding`), the values that known mistakes
give (the formula's own, the dtype's, and those made upstream in the answers it is
computed from), and
the answer as a function of earlier answers (for error carried forward). Grading a
student is then only arithmetic on floats.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

import sympy as sp

from derivations.errors import SpecError
from derivations.grade.carried import LAMBDIFY_MODULES, carried_function, structural_carried
from derivations.grade.precision import Input, measured
from derivations.grade.rounding import Rounded, apply_safely, computed_inputs, rounded_values
from derivations.library import QUANTITIES, formula
from derivations.library.core import STEP_FUNCTIONS
from derivations.numbers import compact, figures, text, to_float
from derivations.present.printing import digits_markup
from derivations.sheet.model import Ask, Sheet
from derivations.solver.algebra import rearrange
from derivations.solver.dependence import inputs_from_answers
from derivations.solver.solution import Answer, Literal, Solution
from derivations.solver.substitution import evaluate, scalar

EXACT_BELOW = 10**7  # whole-number answers smaller than this must be exact (16 384, 27, 8)
_DTYPES = {4.0: "fp32", 2.0: "fp16/bf16", 1.0: "int8", 0.5: "int4"}
_INTEGER: dict[str, Callable[[float], float]] = {
    "floor": math.floor, "ceil": math.ceil,
    "round": lambda x: math.copysign(math.floor(abs(x) + 0.5), x)}


@dataclass(frozen=True)
class Slip:
    """A wrong value a known mistake produces.

    Attributes:
        closed_form: the mistaken closed form in the answer's input symbols, when the
            mistake is a wrong equation (used to follow it through earlier answers).
        library: a wrong equation of the library (here or in an earlier answer); only
            those are followed into later answers, where a slip such as a reciprocal
            factor would explain values by coincidence.
        where: the earlier answer the mistake was made in, if not this one.
    """

    value: float
    diagnosis: str
    wording: str | Callable[[], str]  # a function when the numbers in it cost a format
    closed_form: sp.Expr | None = None
    library: bool = False
    where: str = ""

    @property
    def feedback(self) -> str:
        """What the student is told. Worded on first use: vetting a variant computes
        every slip's value but never shows one, and formatting the numbers in the
        words had cost more than computing the values."""
        return self.wording if isinstance(self.wording, str) else self.wording()


@dataclass(frozen=True)
class CarriedSlip:
    """A known mistake made on top of the student's own earlier answers."""

    function: Callable[..., float]
    upstream: list[str]
    slip: Slip


@dataclass
class AnswerKey:
    """Everything needed to mark one answer, as floats and fast functions."""

    id: str
    kind: str  # number, bool, vector
    expected: Any
    unit: str
    display_unit: str
    tolerance: float
    points: float
    rounded: list[Rounded] = field(default_factory=list)
    slips: list[Slip] = field(default_factory=list)
    carried: tuple[Callable[..., float], list[str]] | None = None
    carried_slips: list[CarriedSlip] = field(default_factory=list)
    shown: str = ""
    measured: list[Input] = field(default_factory=list)  # givens known to their figures
    slip_tolerance: float = 0.0  # how near a known mistake a value must be (also for
    #                                 whole numbers: 26.9 GPUs is the unrounded 26.875)


def answer_key(solution: Solution, answer: Answer, ask: Ask, tolerance: float,
               earlier: dict[str, AnswerKey] | None = None,
               mistakes_only: bool = False) -> AnswerKey:
    """Prepare the floats and functions that mark `answer` (`earlier`: the keys of the
    answers before it, whose known mistakes it inherits; `mistakes_only`: only the
    values of known mistakes, as vetting a variant needs, without the rounding and
    carried-forward machinery that marking a student needs)."""
    from derivations.present.display import displayed
    from derivations.present.printing import displayed_markup

    tol = ask.tolerance if ask.tolerance is not None else tolerance
    shown = "" if mistakes_only else displayed_markup(displayed(answer))
    if isinstance(answer.value, bool):
        return AnswerKey(answer.id, "bool", answer.value, "", "", tol, ask.points, shown=shown)
    if isinstance(answer.value, tuple):
        return AnswerKey(answer.id, "vector", [to_float(v) for v in answer.value], answer.unit,
                         answer.display_unit, tol, ask.points, shown=shown)
    expected = to_float(answer.value)
    loose = tol
    if ask.tolerance is None and answer.value.is_Integer and abs(expected) < EXACT_BELOW \
            and answer.display_unit not in ("%",):
        tol = 0.0  # a count people write out in full: 16 392 is not 16 384
    key = AnswerKey(answer.id, "number", expected, answer.unit,
                    answer.display_unit, tol, ask.points, shown=shown, slip_tolerance=loose)
    integer = _INTEGER.get(answer.integer or "")
    if answer.expression is not None and not any(isinstance(v, tuple)
                                                 for v in answer.inputs.values()):
        key.carried = carried_function(solution, answer.id)
        if key.carried is None and not mistakes_only:
            key.carried = structural_carried(solution, answer, list(earlier or {}), integer)
        if not mistakes_only:
            if solution.sheet.grading.figures == "derived":
                key.measured = measured_givens(answer, ask, solution)
            key.rounded = rounded_values(answer, _numeric(answer),
                                         computed_inputs(answer, ask, solution.sheet),
                                         key.carried, earlier or {}, integer)
        own = (mistake_slips(answer) + sheet_slips(answer, ask, solution.sheet, integer)
               + unrounded_slips(answer, ask, key.slip_tolerance))
        key.slips = (own + upstream_slips(key, earlier or {})
                        + other_problem_slips(answer, solution, integer)
                        + reciprocal_slips(answer, integer) + dtype_slips(answer))
        if not mistakes_only:
            key.carried_slips = carried_slips(solution, answer.id, own)
    return key


def measured_givens(answer: Answer, ask: Ask, solution: Solution) -> list[Input]:
    """The givens the answer's closed form uses that are written with a decimal point
    (`grade.figures`), with the answer's elasticity to each."""
    problem = solution.sheet.problem(answer.problem)
    found = []
    for item in answer.sensitivities:
        name = item.symbol
        if name in ask.bind or name in solution.sheet.grading.exact:
            continue  # bound to an answer or an expression, or declared exact
        given = problem.given.get(name) or solution.sheet.given.get(name)
        written = measured(given.expr.text) if given is not None else None
        if written is not None and math.isfinite(item.elasticity):
            found.append(Input(name, item.elasticity, written))
    return found


def upstream_slips(key: AnswerKey, earlier: dict[str, AnswerKey]) -> list[Slip]:
    """Known mistakes made in an earlier answer that this one is computed from,
    followed through the correct later steps.

    Why: "forgot the 96 layers" is a mistake of the parameter count, but a student who
    only writes the memory makes it too; the memory then is the expected formula
    applied to the mistaken parameter count. The earlier keys already carry their own
    upstream mistakes, so a chain of any length is covered.
    """
    if key.carried is None:
        return []
    function, upstream = key.carried
    if not all(aid in earlier and isinstance(earlier[aid].expected, float) for aid in upstream):
        return []
    base = [earlier[aid].expected for aid in upstream]
    found = []
    for index, aid in enumerate(upstream):
        for slip in earlier[aid].slips:
            if not slip.library:
                continue
            moved = list(base)
            moved[index] = slip.value
            value = apply_safely(function, moved)
            if value is not None and value != key.expected:
                where = slip.where or aid
                detail = slip.feedback.split(" (made in ")[0]
                found.append(Slip(value, slip.diagnosis, f"{detail} (made in {where}, "
                                     "which this answer is computed from)", library=True,
                                     where=where))
    return found


def _symbols(answer: Answer) -> dict[str, sp.Symbol]:
    assert answer.expression is not None
    return {s.name: s for s in answer.expression.free_symbols if not isinstance(s, Literal)}


def _numeric(answer: Answer) -> tuple[Callable[..., float], list[str]]:
    """The answer's closed form as a float function of its inputs (by name)."""
    assert answer.expression is not None
    symbols = _symbols(answer)
    names = sorted(symbols)
    return _compiled(answer.expression, tuple(symbols[n] for n in names)), names


@lru_cache(maxsize=4096)
def _compiled(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> Callable[..., float]:
    """A closed form compiled to a float function, once per process.

    Why cached: every variant of a sheet (and every student's grader) has the same
    closed forms with other numbers; compiling them again cost more than grading."""
    return sp.lambdify(list(symbols), evaluate(expr, {}), modules=LAMBDIFY_MODULES)


def mistake_slips(answer: Answer) -> list[Slip]:
    """The values the library's known wrong equations give for this answer."""
    if answer.formula is None:
        return []
    values = {QUANTITIES[n].symbol: v for n, v in answer.inputs.items() if n in QUANTITIES}
    if any(isinstance(v, tuple) for v in values.values()):
        return []
    symbols = tuple(sorted(values, key=lambda s: s.name))
    floats = [to_float(values[s]) for s in symbols]
    slips = []
    for mistake, candidates in _mistaken_forms(answer.formula, answer.unknown):
        for candidate in candidates:
            try:
                value = _exactly(candidate, values) if candidate.has(*_STEPS) \
                    else float(_compiled(candidate, symbols)(*floats))
            except (TypeError, ValueError, ArithmeticError, NameError):
                continue  # not a real number here, or a symbol the answer has no value of
            if math.isfinite(value):
                slips.append(Slip(value, mistake.id, mistake.feedback, candidate,
                                        library=True))
                break
    return slips


def sheet_slips(answer: Answer, ask: Ask, sheet: Sheet,
                integer: Callable[[float], float] | None) -> list[Slip]:
    """The values of the mistakes the sheet names for this ask (`mistakes = {...}`),
    followed into later answers like the library's own."""
    if not ask.mistakes or answer.expression is None:
        return []
    symbols = _symbols(answer)
    slips = []
    for mistake in ask.mistakes:
        unknown = [n for n in mistake.expr.names if n not in symbols]
        if unknown:
            where = f"{ask.key}.mistakes.{mistake.id}"
            raise SpecError(sheet.file, where, f"{unknown[0]!r} is not a symbol of "
                            f"{answer.id}'s closed form; it uses {', '.join(sorted(symbols))}",
                            sheet.line_of(where))
        form = mistake.expr.build(lambda name: symbols[name])
        values = {symbols[n]: answer.inputs[n] for n in symbols if n in answer.inputs}
        try:
            value = _exactly(form, values)
        except (TypeError, ValueError, ArithmeticError, NameError):
            continue  # not a real number for these givens
        if math.isfinite(value):
            wording = mistake.feedback or (f"Your value is what {mistake.expr.text} gives "
                                           f"(the known mistake {mistake.id}).")
            slips.append(Slip(integer(value) if integer else value, mistake.id, wording,
                              form, library=True))
    return slips


#: Functions whose value jumps: a float product a hair below a tie (150 x 1.13 - 42 =
#: 127.49999999999997) rounds to the other side, so such forms are evaluated exactly.
_STEPS = (*STEP_FUNCTIONS, sp.floor, sp.ceiling)


def _exactly(candidate: sp.Expr, values: dict[sp.Symbol, Any]) -> float:
    found = scalar(evaluate(candidate, values))
    if found.free_symbols:
        raise NameError("a symbol the answer has no value of")
    return to_float(found)


@lru_cache(maxsize=1024)
def _mistaken_forms(formula_id: str, unknown: sp.Symbol) -> tuple[tuple[Any, tuple], ...]:
    """Each known mistake of a formula with its closed forms for `unknown`, once per
    process (building the equation again cost a variant more than evaluating it)."""
    found = formula(formula_id)
    return tuple((mistake, rearrange(sp.Eq(found.lhs_symbol, mistake.rhs), unknown))
                 for mistake in found.mistakes)


def unrounded_slips(answer: Answer, ask: Ask, tolerance: float) -> list[Slip]:
    """For a whole-number ask: the value before it was rounded (26.875 GPUs)."""
    if not answer.integer or answer.expression is None:
        return []
    function, names = _numeric(answer)
    value = apply_safely(function, [to_float(answer.inputs[n]) for n in names])
    expected = to_float(answer.value)
    if value is None or abs(value - expected) <= tolerance * abs(expected):
        return []
    rule = {"ceil": "up", "floor": "down", "round": "to the nearest whole number"}[
        answer.integer]
    return [Slip(value, "not_rounded", f"A count is a whole number: round "
                                       f"{text(figures(value, 4))} {rule}.")]


def other_problem_slips(answer: Answer, solution: Solution,
                           integer: Callable[[float], float] | None) -> list[Slip]:
    """The answer computed with a given of the same name from another problem of the
    sheet (E7's one adapted projection taken as E6's two)."""
    if answer.expression is None:
        return []
    function, names = _numeric(answer)
    base = {n: to_float(answer.inputs[n]) for n in names}
    slips: list[Slip] = []
    seen: set[tuple[str, float]] = set()
    for problem in solution.sheet.problems:
        if problem.id == answer.problem:
            continue
        for name in names:
            given = problem.given.get(name)
            other = solution.given_values.get(given.key) if given is not None else None
            if other is None or isinstance(other, tuple) or to_float(other) == base[name] \
                    or (name, to_float(other)) in seen:
                continue
            seen.add((name, to_float(other)))
            value = apply_safely(function, [to_float(other) if n == name else base[n]
                                      for n in names])
            if value is not None:
                value = integer(value) if integer else value
                slips.append(Slip(value, "given_from_other_problem", partial(
                    "You used ${0} = {1}$ from {2}; here ${0} = {3}$.".format, name,
                    _Number(to_float(other)), problem.id, _Number(base[name]))))
    return slips


def reciprocal_slips(answer: Answer, integer: Callable[[float], float] | None
                        ) -> list[Slip]:
    """Dividing by an input the answer is proportional to, or the reverse (N/1.41
    instead of 1.41 N): a more specific explanation than a generic factor."""
    if answer.expression is None:
        return []
    function, names = _numeric(answer)
    base = {n: to_float(answer.inputs[n]) for n in names}
    slips = []
    for item in answer.sensitivities:
        x = base.get(item.symbol)
        if x is None or abs(abs(item.elasticity) - 1) > 1e-9 or not x or abs(math.log(
                abs(x))) < 0.05:
            continue
        value = apply_safely(function, [1 / x if n == item.symbol else base[n] for n in names])
        if value is not None:
            value = integer(value) if integer else value
            verb = "divided by" if item.elasticity > 0 else "multiplied by"
            slips.append(Slip(value, "reciprocal_factor", partial(
                "You {} ${} = {}$ where the formula {}.".format, verb, item.symbol,
                _Number(x), "multiplies" if item.elasticity > 0 else "divides")))
    coefficient = scalar(evaluate(answer.expression, {})).as_coeff_Mul()[0]
    c = float(coefficient)
    if c and math.isfinite(c) and abs(math.log(abs(c))) >= 0.05 and c != int(c):
        value = to_float(answer.value) / c**2
        slips.append(Slip(integer(value) if integer else value, "reciprocal_factor", partial(
            "You divided by ${}$ where the formula multiplies by it (or the reverse).".format,
            _Number(c))))
    return slips


def dtype_slips(answer: Answer) -> list[Slip]:
    """Values from the wrong bytes per parameter (fp16 bytes used for fp32, ...), and
    the parameter count given where bytes were asked."""
    byte_inputs = [n for n in answer.inputs
                   if n in QUANTITIES and QUANTITIES[n].unit == "byte/parameter"]
    if not byte_inputs:
        return []
    function, names = _numeric(answer)
    base = {n: to_float(answer.inputs[n]) for n in names}
    slips = []
    for name in byte_inputs:
        actual = base[name]
        for alternative, dtype in _DTYPES.items():
            if alternative == actual:
                continue
            moved = {**base, name: alternative}
            value = float(function(*[moved[n] for n in names]))
            slips.append(Slip(
                value, "wrong_dtype",
                f"You used {_bytes(alternative)} per parameter ({dtype}); this question "
                f"stores {_bytes(actual)} per parameter ({_DTYPES.get(actual, '?')})."))
        if actual:
            slips.append(Slip(to_float(answer.value) / actual, "parameters_for_bytes",
                                    "You gave the number of parameters; the question asks for "
                                    f"bytes ({_bytes(actual)} per parameter)."))
    return slips


def _number(value: float) -> str:
    """A float as formula markup: `1.75 \\times 10^{11}`, `0.5`, `−3`."""
    return digits_markup(figures(value, 4))


class _Number(float):
    """A float that formats as `_number` does, for wording put off until it is read."""

    def __format__(self, spec: str) -> str:
        return _number(float(self))


def _bytes(count: float) -> str:
    """`1 byte`, `2 bytes`, `0.5 bytes`."""
    return f"{compact(count)} byte" + ("" if count == 1 else "s")


def carried_slips(solution: Solution, answer_id: str,
                     slips: list[Slip]) -> list[CarriedSlip]:
    """Known mistakes as functions of the earlier answers this answer uses."""
    with_forms = [v for v in slips if v.closed_form is not None]
    found = inputs_from_answers(solution, answer_id) if with_forms else None
    if found is None:
        return []
    values, placeholders = found
    result = []
    for slip in with_forms:
        assert slip.closed_form is not None
        expr = scalar(evaluate(slip.closed_form, values))
        used = sorted((s for s in expr.free_symbols if s in placeholders), key=lambda s: s.name)
        if used:
            function = sp.lambdify(used, expr, modules=LAMBDIFY_MODULES)
            result.append(CarriedSlip(function, [placeholders[s] for s in used], slip))
    return result
