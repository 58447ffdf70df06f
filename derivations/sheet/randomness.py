"""Reading a sheet's `[random]` and `[variants]` tables (see docs/sheet-format.md).

Only the shape is checked here (a choice is not empty, a step divides its range, an
excluded value is on the grid, a name has a fixed value for the default variant);
whether a variant solves or meets `require` is decided when variants are drawn.
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext
from typing import Any, Protocol

from derivations.errors import DerivationsError, SpecError
from derivations.sheet.expr import Parsed, parse
from derivations.sheet.model import Given, Problem, RandomGiven, VariantsSpec

RANGE_KEYS = {"from", "to", "step", "exclude"}
VARIANTS_KEYS = {"salt", "pool", "distinct_by", "require", "max_elasticity", "constant"}
MAX_GRID = 100_000  # values on one range's grid
MAX_POOL = 1000


class SheetReader(Protocol):
    """What these tables need from the sheet's reader (`sheet.spec`): located errors
    and the checks every table shares. A protocol, so that this module does not import
    the reader that imports it."""

    def fail(self, key: str, message: str) -> SpecError: ...

    def check_keys(self, table: dict[str, Any], allowed: set[str], key: str) -> None: ...

    def expression(self, value: Any, key: str, relation: bool = False) -> Parsed: ...

    def number_text(self, value: int | Decimal, key: str) -> str: ...

    def given_table(self, name: str, table: dict[str, Any], key: str) -> Given: ...

    def text_field(self, table: dict[str, Any], name: str, key: str,
                   default: str = "") -> str: ...


def fixed_given(name: str, givens: dict[str, Given], problems: tuple[Problem, ...]
                ) -> Given | None:
    """The given a random one replaces: `N` in `[given]`, or `E1.N` in problem E1's."""
    if "." not in name:
        return givens.get(name)
    pid, local = name.split(".", 1)
    for problem in problems:
        if problem.id == pid:
            return problem.given.get(local)
    return None


#: `{{name}}` or `{{name | number}}`. No lazy part beside a `\s*`: that pattern took
#: minutes on a statement of `{{` and 5,000 spaces; this one is linear (blanks stripped).
QUOTE = re.compile(r"\{\{([^{}|]*)(\|[^{}]*)?\}\}")


def check_quotes(reader: SheetReader, givens: dict[str, Given], problems: tuple[Problem, ...]
                 ) -> None:
    """`{{name}}` in a statement must name a given written in the sheet (not computed
    from an answer, which the question sheet would then print), and every `$...$`
    formula in prose must be in the accepted subset (`sheet.mathtext`)."""
    from derivations.sheet.mathtext import MathError, with_math

    for problem in problems:
        fields = [(f"problems.{problem.id}.statement", problem.statement)]
        fields += [(f"{a.key}.{name}", getattr(a, name)) for a in problem.asks
                   for name in ("claim", "justification")]
        for key, text in fields:
            try:
                with_math(text)
            except MathError as exc:
                raise reader.fail(key, str(exc)) from None
    answers = {f"{p.id}.{a.id}" for p in problems for a in p.asks}
    for problem in problems:
        local = {a.id for a in problem.asks}
        for match in QUOTE.finditer(problem.statement):
            name = match.group(1).strip()
            key = f"problems.{problem.id}.statement"
            shape = (match.group(2) or "").replace(" ", "")
            if shape not in ("", "|number"):
                raise reader.fail(key, f"{match.group(0)}: the only option is |number "
                                  "(the digits without the unit)")
            given = problem.given.get(name) if "." not in name else None
            given = given or fixed_given(name, givens, problems)
            if given is None:
                known = sorted(set(givens) | set(problem.given))
                raise reader.fail(key, f"{{{{{name}}}}} names no given (givens here: "
                                  f"{', '.join(known) or 'none'})")
            if any(n in answers or n in local for n in given.expr.names):
                raise reader.fail(key, f"{{{{{name}}}}} is computed from an answer; quoting "
                                  "it would print the answer on the question sheet")


def read_random(reader: SheetReader, table: Any, givens: dict[str, Given],
                problems: tuple[Problem, ...]) -> tuple[RandomGiven, ...]:
    if not isinstance(table, dict):
        raise reader.fail("random", "expected a [random] table of name = { choice = [...] } "
                          "or { from, to, step }")
    found = []
    for name, spec in table.items():
        key = f"random.{name}"
        base = fixed_given(name, givens, problems)
        if base is None:
            raise reader.fail(key, f"{name!r} has no fixed value: write it in [given] (or the "
                              "problem's given, as \"P.name\") too; that value is the default "
                              "variant v00")
        if not isinstance(spec, dict):
            raise reader.fail(key, "expected { choice = [...] } or { from = ..., to = ..., "
                              "step = ... }")
        if "choice" in spec:
            reader.check_keys(spec, {"choice"}, key)
            found.append(RandomGiven(name, key, choices=choices(reader, spec["choice"], base,
                                                                key)))
        else:
            reader.check_keys(spec, RANGE_KEYS | {"choice"}, key)
            found.append(grid(reader, spec, name, key))
    return tuple(found)


def choices(reader: SheetReader, items: Any, base: Given, key: str) -> tuple[Given, ...]:
    """Each candidate as a given: numbers and expressions in the fixed given's unit, a
    dtype or optimizer name where the fixed given is one, a given table as written."""
    from derivations.library.memory import DTYPE_BYTES, OPTIMIZER_BYTES

    where = f"{key}.choice"
    if not isinstance(items, list) or not items:
        raise reader.fail(where, "a choice needs at least one value: choice = [1e12, 2e12]")
    found = []
    for item in items:
        if isinstance(item, str) and base.unit == "byte/parameter" and \
                (item in DTYPE_BYTES or item in OPTIMIZER_BYTES):
            kind = "dtype" if item in DTYPE_BYTES else "optimizer"
            given = reader.given_table(base.name, {kind: item}, where)
        elif isinstance(item, dict):
            given = reader.given_table(base.name, item, where)
        else:
            given = Given(base.name, reader.expression(item, where), base.unit, "", where)
        found.append(Given(given.name, given.expr, given.unit, given.label, base.key))
    return tuple(found)


def _decimal(reader: SheetReader, value: Any, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise reader.fail(key, "expected a number")
    reader.number_text(value, key)  # refuses nan, inf and absurd sizes
    return Decimal(value)


def grid(reader: SheetReader, spec: dict[str, Any], name: str, key: str) -> RandomGiven:
    missing = [k for k in ("from", "to", "step") if k not in spec]
    if missing:
        raise reader.fail(key, f"a range needs from, to and step (missing {', '.join(missing)})"
                          "; or write { choice = [...] }")
    start, stop, step = (_decimal(reader, spec[k], f"{key}.{k}") for k in ("from", "to", "step"))
    if step <= 0 or stop <= start:
        raise reader.fail(key, "a range needs from < to and a positive step")
    with localcontext() as context:
        context.prec = 200
        steps = (stop - start) / step
        if steps != steps.to_integral_value():
            raise reader.fail(f"{key}.step", f"step {step} does not divide the range "
                              f"{start} .. {stop} ({steps.normalize()} steps)")
        count = int(steps) + 1
        if count > MAX_GRID:
            many = f"{count}" if count < 10**9 else f"about 10^{len(str(count)) - 1}"
            raise reader.fail(f"{key}.step", f"{many} values on the grid; at most {MAX_GRID}")
        excluded = set()
        exclude = spec.get("exclude", [])
        if not isinstance(exclude, list):
            raise reader.fail(f"{key}.exclude", "expected a list of values")
        for value in exclude:
            position = (_decimal(reader, value, f"{key}.exclude") - start) / step
            if position != position.to_integral_value() or not 0 <= position < count:
                raise reader.fail(f"{key}.exclude", f"{value} is not on the grid {start}, "
                                  f"{start + step}, ... {stop}")
            excluded.add(int(position))
    if len(excluded) >= count:
        raise reader.fail(f"{key}.exclude", "every value of the range is excluded")
    return RandomGiven(name, key, start=start, step=step, count=count,
                       exclude=frozenset(excluded))


def read_variants(reader: SheetReader, table: Any, random: tuple[RandomGiven, ...]) -> VariantsSpec:
    if not isinstance(table, dict):
        raise reader.fail("variants", "expected a [variants] table")
    reader.check_keys(table, VARIANTS_KEYS, "variants")
    if not random:
        raise reader.fail("variants", "[variants] needs a [random] table: which givens vary")
    salt = reader.text_field(table, "salt", "variants")
    if not salt:
        raise reader.fail("variants.salt", "a salt is needed (any string, frozen when the "
                          "sheet is released): salt = \"genai-2026-week4\"")
    pool = table.get("pool", 40)
    if isinstance(pool, bool) or not isinstance(pool, int) or not 1 <= pool <= MAX_POOL:
        raise reader.fail("variants.pool", f"pool is a whole number from 1 to {MAX_POOL}")
    names = [r.name for r in random]
    distinct = table.get("distinct_by", names)
    if not isinstance(distinct, list) or not distinct or not all(
            isinstance(n, str) for n in distinct):
        raise reader.fail("variants.distinct_by", "expected a list of random given names")
    for name in distinct:
        if name not in names:
            raise reader.fail("variants.distinct_by", f"{name!r} is not in [random] (random "
                              f"givens: {', '.join(names)})")
    require = table.get("require", [])
    if not isinstance(require, list) or not all(isinstance(r, str) for r in require):
        raise reader.fail("variants.require", "expected a list of conditions such as "
                          "\"E2.D_new > D\"")
    parsed = []
    for text in require:
        try:
            parsed.append((text, parse(text, relation=True)))
        except DerivationsError as exc:
            raise reader.fail("variants.require", f"{text!r}: {exc}") from None
    limit = table.get("max_elasticity", 10)
    if isinstance(limit, bool) or not isinstance(limit, int | Decimal) or (
            isinstance(limit, Decimal) and limit.is_nan()) or not limit > 0:
        raise reader.fail("variants.max_elasticity", "expected a positive number (inf for "
                          "no limit)")
    constant = table.get("constant", [])
    if not isinstance(constant, list) or not all(isinstance(n, str) for n in constant):
        raise reader.fail("variants.constant", "expected a list of random givens or "
                          "true/false answer ids allowed to be the same in every variant")
    return VariantsSpec(salt, pool, tuple(distinct), tuple(parsed), float(limit),
                        tuple(constant))
