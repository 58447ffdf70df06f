"""Solving a sheet: isolate each unknown with sympy, substitute, evaluate exactly.

For every ask the engine records the steps a worked solution shows: the general
formula, the formula rearranged for the unknown *by sympy*, the values substituted
(still unevaluated), and the exact result. Nothing is rounded here: values are sympy
rationals and radicals until a printer shows them. Values are resolved lazily, so an
expression may use a given or an answer defined anywhere in the sheet, and loops
between definitions are reported instead of recursing forever.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sympy as sp

from derivations.errors import (
    CycleError,
    DerivationsError,
    DomainError,
    SpecError,
    UnknownName,
    located,
    suggest,
)
from derivations.library import QUANTITIES, Formula, formula
from derivations.library.core import RoundHalfAway
from derivations.library.units import UNITS, default_display
from derivations.numbers import digits, text, to_decimal
from derivations.sheet.expr import parse
from derivations.sheet.model import Ask, Given, Problem, Sheet
from derivations.solver import claims
from derivations.solver.algebra import decide, rearrange
from derivations.solver.approximate import clearly, exact_is_cheap, held
from derivations.solver.numeric import numeric_solution
from derivations.solver.sensitivity import SENSITIVITY_THRESHOLD, sensitivity
from derivations.solver.solution import (
    Answer,
    Literal,
    Solution,
    Step,
    Value,
    decimal_literal,
    given_unit,
)
from derivations.solver.substitution import evaluate, finite_number, show, substitute

INTEGER_MODES = {"floor": sp.floor, "ceil": sp.ceiling, "round": RoundHalfAway}


def solution_of(sheet: Sheet, problem_id: str | None = None, *,
                approximate: bool = False) -> Solution:
    """Solve every ask of `sheet` (or of one problem) and return the answers in order.

    `approximate`: hold an answer whose exact value would be irrational to
    `approximate.HELD_DIGITS` digits (a pool of variants; see that module). Rational
    answers stay exact either way.

    Raises:
        SpecError: any error, located at the sheet key it came from.
    """
    problems = sheet.problems
    if problem_id is not None:
        ids = [p.id for p in sheet.problems]
        if problem_id not in ids:
            raise SpecError(sheet.file, "problems", str(UnknownName(
                "problem", problem_id, suggest(problem_id, ids))))
        problems = (sheet.problem(problem_id),)
    solver = Solver(sheet, approximate=approximate)
    wanted = [f"{p.id}.{a.id}" for p in problems for a in p.asks]
    for problem in problems:
        for ask in problem.asks:
            solver.answer(problem, ask)
    used = frozenset(solver.given_values)
    for given in sheet.given.values():
        solver.given(None, given)
    for problem in problems:
        for given in problem.given.values():
            solver.given(problem, given)
    return Solution(sheet, {aid: solver.answers[aid] for aid in wanted},
                    dict(solver.given_values), used)


def value_of(solution: Solution, text: str, key: str) -> Value:
    """Evaluate an expression (`E2.D_new`, `2 * D`) against a solved sheet.

    Answers and givens already computed are reused, so this costs no solving.
    """
    sheet = solution.sheet
    assert isinstance(sheet, Sheet)
    solver = Solver(sheet)
    solver.answers.update(solution.answers)
    solver.given_values.update(solution.given_values)
    try:
        parsed = parse(text)
        return finite_number(parsed.build(lambda name: solver.lookup(name, None)), text)
    except SpecError:
        raise
    except DerivationsError as exc:
        raise solver.fail_at(exc, key) from None


class Solver:
    """Resolves names to values and answers asks, each at most once."""

    def __init__(self, sheet: Sheet, symbolic: bool = False,
                 approximate: bool = False) -> None:
        """Args:
            sheet: the sheet to solve.
            symbolic: allow values that are expressions (answers replaced by symbols,
                to express one answer as a function of others); skips numeric checks.
            approximate: irrational answers held to a fixed number of digits.
        """
        self.sheet = sheet
        self.symbolic = symbolic
        self.approximate = approximate
        self.answers: dict[str, Answer] = {}
        self.given_values: dict[str, Value] = {}
        self.active: list[str] = []

    @contextmanager
    def visiting(self, name: str) -> Iterator[None]:
        if name in self.active:
            raise CycleError(self.active[self.active.index(name):] + [name])
        self.active.append(name)
        try:
            yield
        finally:
            self.active.pop()

    def fail_at(self, error: DerivationsError, key: str) -> SpecError:
        return located(error, self.sheet.file, key, self.sheet.line_of(key))

    # -- names -------------------------------------------------------------------
    def lookup(self, name: str, problem: Problem | None, ask: Ask | None = None) -> Value:
        """The value of `name` as seen from `ask` in `problem` (binds, asks, givens)."""
        if ask is not None and name in ask.bind:
            return self.number(ask.bind[name].build(lambda n: self.lookup(n, problem)),
                               name)
        if "." in name:
            pid, local = name.split(".", 1)
            ids = [p.id for p in self.sheet.problems]
            if pid not in ids:
                raise UnknownName("problem", pid, suggest(pid, ids))
            return self.local(self.sheet.problem(pid), local)
        return self.local(problem, name)

    def local(self, problem: Problem | None, name: str) -> Value:
        if problem is not None:
            for ask in problem.asks:
                if ask.id == name:
                    answer = self.answer(problem, ask)
                    if isinstance(answer.value, bool):
                        raise DomainError(f"{answer.id} is a true/false answer, not a number")
                    return answer.value
            if name in problem.given:
                return self.given(problem, problem.given[name])
        if name in self.sheet.given:
            return self.given(None, self.sheet.given[name])
        raise UnknownName("given", name, suggest(name, self.names(problem)))

    def display_unit(self, name: str, problem: Problem | None, ask: Ask | None = None) -> str:
        """The unit a reader saw `name` in: an answer's display unit, a given's author
        unit (`GB`); `1` (a bare number) for a binding."""
        if ask is not None and name in ask.bind:
            return "1"
        if "." in name:
            pid, name = name.split(".", 1)
            problem = self.sheet.problem(pid)
        if problem is not None:
            for other in problem.asks:
                if other.id == name:
                    return self.answer(problem, other).display_unit or "1"
            if name in problem.given:
                return given_unit(problem.given[name])
        return given_unit(self.sheet.given[name]) if name in self.sheet.given else "1"

    def names(self, problem: Problem | None) -> list[str]:
        found = list(self.sheet.given)
        if problem is not None:
            found += list(problem.given) + [a.id for a in problem.asks]
        return found

    def given(self, problem: Problem | None, given: Given) -> Value:
        if given.key in self.given_values:
            return self.given_values[given.key]
        try:
            with self.visiting(given.key):
                value = self.number(given.expr.build(lambda n: self.lookup(n, problem)),
                                    given.name)
            value = self.convert(given, value)
        except SpecError:
            raise
        except DerivationsError as exc:
            raise self.fail_at(exc, given.key) from None
        self.given_values[given.key] = value
        return value

    def convert(self, given: Given, value: Value) -> Value:
        """Bring a value written in a display unit (48 GB) to its canonical unit."""
        if given.unit is None:
            return value
        unit = UNITS[given.unit]
        expected = QUANTITIES[given.name].unit if given.name in QUANTITIES else None
        if expected is not None and unit.canonical != expected:
            raise DomainError(f"unit {given.unit!r} measures {unit.canonical}, but "
                              f"{given.name} is in {expected}")
        factor = sp.Rational(unit.factor.numerator, unit.factor.denominator)
        if isinstance(value, tuple):
            return tuple(v * factor for v in value)
        return value * factor

    def number(self, value: Value, name: str) -> Value:
        if self.symbolic:
            return value
        return finite_number(value, name)

    # -- asks --------------------------------------------------------------------
    def answer(self, problem: Problem, ask: Ask) -> Answer:
        answer_id = f"{problem.id}.{ask.id}"
        if answer_id in self.answers:
            return self.answers[answer_id]
        try:
            with self.visiting(answer_id):
                if ask.is_truefalse:
                    result = claims.judge(self, problem, ask, answer_id)
                else:
                    result = self.value_answer(problem, ask, answer_id)
        except SpecError:
            raise
        except DerivationsError as exc:
            raise self.fail_at(exc, ask.key) from None
        self.answers[answer_id] = result
        return result

    def equation(self, ask: Ask) -> tuple[sp.Eq, Formula | None]:
        if ask.formula is not None:
            try:
                found = formula(ask.formula)
            except UnknownName as exc:
                raise self.fail_at(exc, f"{ask.key}.formula") from None
            return found.equation, found
        assert ask.equation is not None
        lhs, rhs = (side.build(symbol_of, constant=decimal_literal) for side in ask.equation)
        if isinstance(lhs, tuple) or isinstance(rhs, tuple):
            raise DomainError("an inline equation cannot contain a list; give it as a given")
        return sp.Eq(lhs, rhs, evaluate=False), None

    def unknown(self, ask: Ask, equation: sp.Eq) -> sp.Symbol:
        present = {s.name: s for s in equation.free_symbols if not isinstance(s, Literal)}
        if ask.solve_for is None:
            if isinstance(equation.lhs, sp.Symbol):
                return equation.lhs
            raise DomainError("say which symbol to solve for with solve_for = \"...\"")
        if ask.solve_for not in present:
            raise UnknownName("symbol to solve for", ask.solve_for,
                              suggest(ask.solve_for, present))
        return present[ask.solve_for]

    def inputs(self, problem: Problem, ask: Ask, equation: sp.Eq,
               unknown: sp.Symbol, source: str) -> dict[sp.Symbol, Value]:
        symbols = sorted((s for s in equation.free_symbols - {unknown}
                          if not isinstance(s, Literal)), key=lambda s: s.name)
        names = {s.name for s in symbols}
        for name in ask.bind:
            if name not in names:
                raise self.fail_at(UnknownName(f"symbol of {source} to bind", name,
                                               suggest(name, names)), f"{ask.key}.bind.{name}")
        values = {}
        for symbol in symbols:
            try:
                values[symbol] = self.lookup(symbol.name, problem, ask)
            except UnknownName as exc:
                if exc.name != symbol.name or exc.kind != "given":
                    raise
                # never the ask's own answer: it cannot be an input of itself
                others = [name for name in exc.suggestions if name != ask.id]
                raise DomainError(f"missing given {symbol.name!r} needed by {source}: define "
                                  "it under [given] or bind it in the ask"
                                  + (f" (did you mean {others[0]!r}?)" if others else "")
                                  ) from None
            if not self.symbolic:
                check_sign(symbol, values[symbol])
        return values

    def value_answer(self, problem: Problem, ask: Ask, answer_id: str) -> Answer:
        equation, found = self.equation(ask)
        source = f"formula {found.id!r}" if found else "the equation"
        unknown = self.unknown(ask, equation)
        for name, bound in ask.bind.items():
            if unknown.name in bound.names or ask.id in bound.names:
                raise self.fail_at(DomainError(
                    f"bind {name} = {bound.text!r} uses {unknown.name}, the unknown this ask "
                    f"solves for: a bind is a value known before solving. Write the relation "
                    f"into an inline equation instead (equation = \"...\" with "
                    f"solve_for = \"{unknown.name}\")"), f"{ask.key}.bind.{name}")
        values = self.inputs(problem, ask, equation, unknown, source)
        if found is not None:
            check_requires(found, values, unknown)
        candidates = rearrange(equation, unknown)
        expr: sp.Expr | None = None
        if candidates:
            expr, value = pick(candidates, values, unknown, source, self.approximate)
            steps = derivation(equation, unknown, expr, values, value)
        else:  # no closed form: a numeric root, said so in the steps
            bounds = None
            if ask.between is not None:
                low, high = (self.number(b.build(lambda n: self.lookup(n, problem)), "between")
                             for b in ask.between)
                bounds = (low, high)
            value, steps = numeric_solution(equation, unknown, values,
                                            found.id if found else str(equation), bounds)
            check_sign(unknown, value)
        integer = integer_mode(ask, unknown, value)
        if integer:
            value, step = to_integer(integer, unknown, value)
            steps.append(step)
        known = set(self.names(problem)) | {s.name for s in equation.free_symbols}
        for name in ask.independent_of:
            if name not in known:
                raise self.fail_at(UnknownName("quantity", name, suggest(name, known)),
                                   f"{ask.key}.independent_of")
        if expr is not None:
            steps.extend(independence(ask, unknown, expr))
        sensitivities = sensitivity(expr, values, value) if expr is not None else ()
        try:
            unit, display = units(ask, unknown, found)
        except DerivationsError as exc:
            raise self.fail_at(exc, f"{ask.key}.unit") from None
        return Answer(
            id=answer_id, value=value, unit=unit, display_unit=display, sig=ask.sig,
            unknown=unknown, steps=tuple(steps), expression=expr,
            inputs={s.name: v for s, v in values.items()}, sensitivities=sensitivities,
            fragile=any(abs(s.elasticity) > SENSITIVITY_THRESHOLD for s in sensitivities),
            formula=found.id if found else None, integer=integer)


def symbol_of(name: str) -> sp.Symbol:
    """The symbol for a name in an inline equation: the library's, when it has one."""
    if name in QUANTITIES:
        return QUANTITIES[name].symbol
    return sp.Symbol(name, real=True)


def check_sign(symbol: sp.Symbol, value: Value) -> None:
    """Sizes, counts and rates must be positive: say so before solving anything."""
    items = value if isinstance(value, tuple) else (value,)
    for item in items:
        number = to_decimal(item, 20)
        if symbol.is_positive and not number > 0:
            raise DomainError(f"{symbol.name} must be positive, got {number.normalize()}")
        if symbol.is_nonnegative and not number >= 0:
            raise DomainError(f"{symbol.name} must not be negative, got {number.normalize()}")


def check_requires(found: Formula, values: dict[sp.Symbol, Value], unknown: sp.Symbol) -> None:
    for condition, message in found.requires:
        if unknown in condition.free_symbols:
            continue
        if any(isinstance(values.get(s), tuple) for s in condition.free_symbols):
            continue
        verdict = clearly(condition, values)
        if verdict is None:
            verdict = decide(substitute(condition, values))
        if verdict is False:
            shown = ", ".join(f"{s.name} = {text(digits(values[s], 6))}"
                              for s in sorted(condition.free_symbols, key=lambda s: s.name))
            raise DomainError(f"no solution: {message} ({shown})")


def pick(candidates: tuple[sp.Expr, ...], values: dict[sp.Symbol, Value], unknown: sp.Symbol,
         source: str, approximate: bool = False) -> tuple[sp.Expr, Value]:
    """The first closed form whose value is real (and positive where it must be);
    held to a fixed number of digits when `approximate` and the exact value would
    cost a radical (see `solver.approximate`)."""
    for expr in candidates:
        value = held(expr, values) if approximate and not exact_is_cheap(expr) else None
        if value is None:
            value = finite_number(evaluate(expr, values), unknown.name)
        items = value if isinstance(value, tuple) else (value,)
        if all(admissible(item, unknown) for item in items):
            return expr, value
    kind = "positive " if unknown.is_positive else ""
    raise DomainError(f"no real {kind}value of {unknown.name} satisfies {source} with "
                      "these values")


def admissible(value: sp.Expr, unknown: sp.Symbol) -> bool:
    """Real, and positive (or not negative) when the unknown must be."""
    if isinstance(value, sp.Rational | sp.Float):  # real already (held, or exact)
        real = value
    else:
        number = sp.N(value, 30)
        real, imag = number.as_real_imag()
        if not real.is_number or abs(imag) > abs(real) * sp.Float("1e-25") \
                + sp.Float("1e-40"):
            return False
    if unknown.is_positive:
        return bool(real > 0)
    if unknown.is_nonnegative:
        return bool(real >= 0)
    return True


def derivation(equation: sp.Eq, unknown: sp.Symbol, expr: sp.Expr,
               values: dict[sp.Symbol, Value], value: Value) -> list[Step]:
    steps = [Step("formula", equation)]
    if not (equation.lhs == unknown and equation.rhs == expr):
        steps.append(Step("rearranged", sp.Eq(unknown, expr, evaluate=False)))
    if values:
        steps.append(Step("substituted", sp.Eq(unknown, show(expr, values), evaluate=False)))
    shown = Literal(unknown.name, value)
    steps.append(Step("result", sp.Eq(unknown, shown, evaluate=False)))
    return steps


#: How a count with a fractional value is rounded when the sheet does not say: a partial
#: last batch is still a step, a partial GPU is a whole GPU (a sheet that drops the
#: last partial batch writes `integer = "floor"`).
DEFAULT_INTEGER = {"step": "ceil", "GPU": "ceil"}


def integer_mode(ask: Ask, unknown: sp.Symbol, value: Value) -> str | None:
    """The whole-number rounding of an answer: the sheet's, else the count's default.

    A default applies only when the value is not already whole, so an exact count
    gets no rounding step.
    """
    if ask.integer:
        return ask.integer
    quantity = QUANTITIES.get(unknown.name)
    mode = DEFAULT_INTEGER.get(quantity.unit) if quantity is not None else None
    items = value if isinstance(value, tuple) else (value,)
    if mode is None or all(getattr(item, "is_Integer", False) for item in items):
        return None
    return mode


def to_integer(mode: str, unknown: sp.Symbol, value: Value) -> tuple[Value, Step]:
    """Whole ranks, GPUs, steps: round as the ask says, and show that it was done."""
    fn = INTEGER_MODES[mode]
    rounded = tuple(fn(v) for v in value) if isinstance(value, tuple) else fn(value)
    shown = fn(Literal(unknown.name, value), evaluate=False) if not isinstance(value, tuple) \
        else Literal(unknown.name, rounded)
    step = Step("integer", sp.Eq(unknown, shown, evaluate=False),
                {"floor": "rounded down to a whole number", "ceil": "rounded up to a whole "
                 "number", "round": "rounded to the nearest whole number"}[mode])
    return rounded, step


def independence(ask: Ask, unknown: sp.Symbol, expr: sp.Expr) -> list[Step]:
    """Certify symbolically that the answer does not depend on the named quantities."""
    steps = []
    for name in ask.independent_of:
        symbol = symbol_of(name)
        derivative = sp.diff(expr, symbol)
        if derivative != 0:
            raise DomainError(f"the answer depends on {name}: d{unknown.name}/d{name} = "
                              f"{derivative}")
        steps.append(Step("derivative", sp.Eq(sp.Derivative(unknown, symbol), 0,
                                              evaluate=False),
                          f"${unknown.name}$ does not involve ${name}$, so the answer is "
                          f"the same for any ${name}$"))
    return steps


def units(ask: Ask, unknown: sp.Symbol, found: Formula | None) -> tuple[str, str]:
    """Canonical and display unit of an answer; a display unit must measure the same."""
    canonical = QUANTITIES[unknown.name].unit if unknown.name in QUANTITIES else None
    if ask.unit is None:
        canonical = canonical or "1"
        return canonical, default_display(canonical)
    if ask.unit not in UNITS:
        raise UnknownName("unit", ask.unit, suggest(ask.unit, UNITS))
    unit = UNITS[ask.unit]
    if canonical is not None and unit.canonical != canonical:
        raise DomainError(f"unit {ask.unit!r} measures {unit.canonical}, but "
                          f"{unknown.name} is in {canonical}")
    return unit.canonical, ask.unit
