"""Values of written formulas: bounded 40-digit arithmetic, written precision, sympy.

Why mpmath and not sympy for numbers: a student's `(67 × 10^9)^{0.34}` has no exact
closed form worth keeping, and `10^{10^{10}}` must be refused before it is computed.
Every power is sized first (log10 of the result); anything beyond 10^±1000 is
refused with a reason, so no written number can hang the checker. Written numbers
stay exact `Fraction`s until this point; 40 digits is far below any rounding a
student writes, so comparisons at that precision decide rounding exactly.

Sympy trees are built node by node from the parsed formula (never from text), for
the symbolic checks only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import mpmath
import sympy as sp

from derivations.read.nodes import Label, Node, Num, Op, Sym, Unit

DIGITS = 40
MAX_MAGNITUDE = 1000  # |log10| of any value computed
MAX_FACTORIAL = 449  # 449! ≈ 3.9 × 10^997, the last factorial under 10^MAX_MAGNITUDE
MAX_AMPLIFICATION_DIGITS = 25  # an exponent beyond 10^25 leaves < 15 of the 40 digits
MAX_AMPLIFICATION = 10 ** MAX_AMPLIFICATION_DIGITS
_CTX = mpmath.MPContext()
_CTX.dps = DIGITS


class Unknown(Exception):
    """A symbol without a value."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class Undefined(Exception):
    """Arithmetic without a real value: log of a negative, 0 as a divisor, too large."""


Env = Callable[[str], "mpmath.mpf | None"]


def mpf(value: Fraction | int) -> mpmath.mpf:
    value = Fraction(value)
    return _CTX.mpf(value.numerator) / value.denominator


def compute(node: Node, env: Env) -> mpmath.mpf:  # long: one case per node kind
    """The value of `node` (symbols from `env`); raises Unknown or Undefined."""
    if isinstance(node, Num):
        return mpf(node.value)
    if isinstance(node, Unit):
        return mpf(node.factor)
    if isinstance(node, Sym):
        value = env(node.name)
        if value is None:
            raise Unknown(node.name)
        return value
    if isinstance(node, Label):
        raise Unknown(node.name)
    args = node.args
    if node.kind == "pct":
        return _CTX.mpf(1) / 100
    values = [compute(a, env) for a in args]
    result: mpmath.mpf
    if node.kind == "add":
        result = _CTX.fsum(values)
    elif node.kind == "mul":
        result = _CTX.fprod(values)
    elif node.kind == "neg":
        result = -values[0]
    elif node.kind == "div":
        if values[1] == 0:
            raise Undefined("a division by zero")
        result = values[0] / values[1]
    elif node.kind == "pow":
        result = _power(values[0], values[1])
    elif node.kind in ("sqrt", "root"):
        index = values[1] if node.kind == "root" else _CTX.mpf(2)
        if values[0] < 0 or index == 0:
            raise Undefined("the root of a negative number")
        result = _power(values[0], 1 / index)
    elif node.kind == "exp":
        if values[0] > MAX_MAGNITUDE * 2.31:
            raise Undefined("a number too large to evaluate")
        result = _CTX.exp(values[0])
    elif node.kind in ("ceil", "floor"):
        result = _CTX.ceil(values[0]) if node.kind == "ceil" else _CTX.floor(values[0])
    elif node.kind == "fact":
        result = _CTX.mpf(math.factorial(whole_for_factorial(values[0])))
    elif node.kind == "round":  # halves away from zero, as int8 quantization rounds
        result = _CTX.sign(values[0]) * _CTX.floor(abs(values[0]) + _CTX.mpf(1) / 2)
    elif node.kind == "log":
        if values[0] <= 0:
            raise Undefined("the logarithm of a number that is not positive")
        result = _CTX.ln(values[0])
        if node.base is not None:
            result /= _CTX.ln(mpf(node.base))
    else:  # pragma: no cover - the parser makes no other kinds
        raise Undefined(f"unknown operation {node.kind}")
    _bounded(result)
    return result


def whole_for_factorial(value: mpmath.mpf | Fraction) -> int:
    """n for n!: a whole number from 0 to MAX_FACTORIAL, else Undefined."""
    if value != int(value) or value < 0:
        raise Undefined("the factorial of a number that is not a whole number ≥ 0")
    if value > MAX_FACTORIAL:
        raise Undefined(f"a factorial beyond {MAX_FACTORIAL}! (not evaluated)")
    return int(value)


def _power(base: mpmath.mpf, exponent: mpmath.mpf) -> mpmath.mpf:
    if abs(exponent) > MAX_AMPLIFICATION:
        # x^y carries |y| times the relative error of x: with 40 digits, (1 + 10^-300)^(10^300)
        # would be computed as 1. Such a power is not evaluated rather than evaluated wrong.
        raise Undefined(f"a power with an exponent beyond 10^{MAX_AMPLIFICATION_DIGITS} "
                        f"(beyond the {DIGITS}-digit working precision)")
    if base == 0:
        if exponent <= 0:
            raise Undefined("zero to a power that is not positive")
        return _CTX.mpf(0)
    if base < 0 and exponent != int(exponent):
        raise Undefined("a negative number to a fractional power (no real value)")
    if abs(exponent * _CTX.log10(abs(base))) > MAX_MAGNITUDE:
        raise Undefined(f"a number beyond 10^{MAX_MAGNITUDE} (not evaluated)")
    return _CTX.power(base, exponent)


def _bounded(value: mpmath.mpf) -> None:
    if value and abs(_CTX.log10(abs(value))) > MAX_MAGNITUDE:
        raise Undefined(f"a number beyond 10^±{MAX_MAGNITUDE} (not evaluated)")


def symbols_in(node: Node) -> set[str]:
    if isinstance(node, Sym):
        return {node.name}
    if isinstance(node, Op):
        return set().union(*(symbols_in(a) for a in node.args)) if node.args else set()
    return set()


def has_label(node: Node) -> bool:
    if isinstance(node, Label):
        return True
    return isinstance(node, Op) and any(has_label(a) for a in node.args)


def written_value(node: Node) -> tuple[Fraction, Fraction] | None:
    """(value, half a unit in the last place) of a single written figure such as
    `1.65 × 10^{24}`, `6.48 trillion tokens` or `54 GB`; None for a computation."""
    if isinstance(node, Num):
        return node.value, node.half
    if isinstance(node, Op) and node.kind == "neg":
        found = written_value(node.args[0])
        return (-found[0], found[1]) if found else None
    if not (isinstance(node, Op) and node.kind == "mul"):
        return None
    figures = [a for a in node.args if isinstance(a, Num)]
    if len(figures) != 1:
        return None
    scale = Fraction(1)
    for arg in node.args:
        if isinstance(arg, Num):
            continue
        exact = _exact_scale(arg)
        if exact is None:
            return None
        scale *= exact
    return figures[0].value * scale, figures[0].half * scale


def _exact_scale(node: Node) -> Fraction | None:
    """10^k (k a whole number) or a unit word: an exact factor of a written figure."""
    if isinstance(node, Unit):
        return node.factor
    if isinstance(node, Op) and node.kind == "pct":
        return Fraction(1, 100)
    if isinstance(node, Op) and node.kind == "pow":
        base, exponent = node.args
        power = exponent.args[0] if isinstance(exponent, Op) and exponent.kind == "neg" \
            else exponent
        if isinstance(base, Num) and base.value == 10 and isinstance(power, Num) \
                and power.value.denominator == 1 and power.value <= MAX_MAGNITUDE:
            sign = -1 if power is not exponent else 1
            return Fraction(10) ** (sign * int(power.value))
    return None


def units_of(node: Node) -> list[Unit]:
    """The unit words multiplying a term at its top level (`bytes`, `GB`, `tokens`)."""
    if isinstance(node, Unit):
        return [node] if node.kind != "scale" else []
    if isinstance(node, Op) and node.kind == "mul":
        return [u for a in node.args for u in units_of(a)]
    if isinstance(node, Op) and node.kind in ("div", "neg"):
        return units_of(node.args[0])
    return []


def factors(node: Node) -> list[Node]:
    """The factors of a product (a quotient's numerator factors); [node] otherwise."""
    if isinstance(node, Op) and node.kind == "mul":
        return [f for a in node.args for f in factors(a)]
    if isinstance(node, Op) and node.kind == "div":
        return factors(node.args[0])
    return [node]


def without(node: Node, drop: Node) -> Node:
    """`node` with one occurrence of the factor `drop` removed (for 'a dropped factor')."""
    if node is drop:
        return Num(Fraction(1), "1", Fraction(0))
    if isinstance(node, Op) and node.kind in ("mul", "div"):
        args = list(node.args)
        for k, arg in enumerate(args if node.kind == "mul" else args[:1]):
            if arg is drop or (isinstance(arg, Op) and _contains(arg, drop)):
                args[k] = without(arg, drop)
                return Op(node.kind, tuple(args), node.base)
    return node


def _contains(node: Node, target: Node) -> bool:
    if node is target:
        return True
    return isinstance(node, Op) and node.kind in ("mul", "div") and any(
        _contains(a, target) for a in node.args[:1 if node.kind == "div" else None])


def replaced(node: Node, old: Node, new: Num) -> Node:
    """`node` with the subtree `old` (by identity) replaced by the number `new`."""
    if node is old:
        return new
    if isinstance(node, Op):
        return Op(node.kind, tuple(replaced(a, old, new) for a in node.args), node.base)
    return node


def numbers_in(node: Node) -> list[Num]:
    if isinstance(node, Num):
        return [node]
    if isinstance(node, Op):
        return [n for a in node.args for n in numbers_in(a)]
    return []


_POSITIVE: dict[str, sp.Symbol] = {}


def symbol(name: str) -> sp.Symbol:
    """Quantities in a derivation are sizes, rates and exponents: positive reals."""
    if name not in _POSITIVE:
        _POSITIVE[name] = sp.Symbol(name, positive=True)
    return _POSITIVE[name]


def to_sympy(node: Node) -> sp.Expr:  # long: one case per node kind
    """The sympy tree of a formula; numbers exact, symbols positive. Numeric
    subtrees are sized with `compute` first, so no huge power reaches sympy."""
    if not symbols_in(node):
        compute(node, lambda name: None)  # raises Undefined for anything too large
    if isinstance(node, Num):
        return sp.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, Unit):
        return sp.Rational(node.factor.numerator, node.factor.denominator)
    if isinstance(node, Sym):
        return symbol(node.name)
    if isinstance(node, Label):
        raise Unknown(node.name)
    if node.kind == "pct":
        return sp.Rational(1, 100)
    args = [to_sympy(a) for a in node.args]
    if node.kind == "add":
        return sp.Add(*args)
    if node.kind == "mul":
        return sp.Mul(*args)
    if node.kind == "neg":
        return -args[0]
    if node.kind == "div":
        return args[0] / args[1]
    if node.kind == "pow":
        return sp.Pow(args[0], args[1])
    if node.kind == "sqrt":
        return sp.sqrt(args[0])
    if node.kind == "root":
        return sp.Pow(args[0], 1 / args[1])
    if node.kind == "exp":
        return sp.exp(args[0])
    if node.kind in ("ceil", "floor"):
        return sp.ceiling(args[0]) if node.kind == "ceil" else sp.floor(args[0])
    if node.kind == "fact":
        return sp.factorial(args[0])
    if node.kind == "round":
        return sp.sign(args[0]) * sp.floor(sp.Abs(args[0]) + sp.Rational(1, 2))
    if node.kind == "log":
        if node.base is None:
            return sp.log(args[0])
        return sp.log(args[0]) / sp.log(sp.Rational(node.base.numerator,
                                                    node.base.denominator))
    raise Undefined(f"unknown operation {node.kind}")  # pragma: no cover


def sympy_value(expr: sp.Basic, env: Env) -> mpmath.mpf:  # long: one case per node kind
    """A sympy tree's value with the same bounds as `compute` (never sympy's evalf,
    which will build a 10^(10^24)-digit integer if asked); Undefined otherwise."""
    if isinstance(expr, sp.Rational):
        return mpf(Fraction(int(expr.p), int(expr.q)))
    if isinstance(expr, sp.Float):
        return _CTX.mpf(str(expr))
    if isinstance(expr, sp.Symbol):
        value = env(expr.name)
        if value is None:
            raise Unknown(expr.name)
        return value
    if expr is sp.E:
        return _CTX.e
    args = [sympy_value(a, env) for a in expr.args]
    result: mpmath.mpf
    if isinstance(expr, sp.Add):
        result = _CTX.fsum(args)
    elif isinstance(expr, sp.Mul):
        result = _CTX.fprod(args)
    elif isinstance(expr, sp.Pow):
        result = _power(args[0], args[1])
    elif isinstance(expr, sp.log) and len(args) == 1:
        if args[0] <= 0:
            raise Undefined("the logarithm of a number that is not positive")
        result = _CTX.ln(args[0])
    elif isinstance(expr, sp.ceiling | sp.floor):
        result = _CTX.ceil(args[0]) if isinstance(expr, sp.ceiling) else _CTX.floor(args[0])
    elif isinstance(expr, sp.factorial):
        result = _CTX.mpf(math.factorial(whole_for_factorial(args[0])))
    elif isinstance(expr, sp.exp):
        if args[0] > MAX_MAGNITUDE * 2.31:
            raise Undefined("a number too large to evaluate")
        result = _CTX.exp(args[0])
    else:
        raise Undefined(f"{type(expr).__name__} is not evaluated")
    _bounded(result)
    return result


def tame(expr: sp.Basic, ops: int = 60) -> bool:
    """Small enough to hand to sympy's solve and simplify: few operations, and no
    power of a sum to a large whole exponent (expanding (x + 1)^1000 exhausts memory)."""
    if sp.count_ops(expr) > ops:
        return False
    for power in expr.atoms(sp.Pow):
        if power.exp.is_Integer and abs(int(power.exp)) > 12 and not power.base.is_Atom:
            return False
        if power.exp.is_Rational and not power.exp.is_Integer and max(
                abs(int(power.exp.p)), int(power.exp.q)) > 1000:
            return False
    return True


def split_units(node: Node) -> tuple[Node, list[Unit]]:
    """A written quantity without its unit words (`350 GB` -> 350, [GB]; `37.5 %` ->
    37.5, [%]); scale words (`trillion`) stay in the value."""
    if isinstance(node, Unit) and node.kind != "scale":
        return Num(Fraction(1), "1", Fraction(0)), [node]
    if isinstance(node, Op) and node.kind == "pct":
        return Num(Fraction(1), "1", Fraction(0)), [PERCENT]
    if isinstance(node, Op) and node.kind == "neg":
        inner, found = split_units(node.args[0])
        return Op("neg", (inner,)), found
    if not (isinstance(node, Op) and node.kind == "mul"):
        return node, []
    kept: list[Node] = []
    units: list[Unit] = []
    for arg in node.args:
        if isinstance(arg, Unit) and arg.kind != "scale":
            units.append(arg)
        elif isinstance(arg, Op) and arg.kind == "pct":
            units.append(PERCENT)
        else:
            kept.append(arg)
    if not kept:
        return Num(Fraction(1), "1", Fraction(0)), units
    return (kept[0] if len(kept) == 1 else Op("mul", tuple(kept))), units


PERCENT = Unit("%", "1", Fraction(1, 100), "1")


def exact_value(node: Node) -> tuple[Fraction, Fraction, bool]:
    """(value, half a unit in the last place, computed?) of a numeric expression.

    A single written figure (`1.65 × 10^24`, `7.5 trillion`) keeps the precision it
    was written to; a computation (`2^14`, `1e6/64`) is exact where rational
    arithmetic is (half 0), and otherwise taken from 40-digit arithmetic."""
    written = written_value(node)
    if written is not None:
        return written[0], written[1], False
    found = _rational(node, 0)
    if found is not None:
        return found, Fraction(0), True
    value = compute(node, lambda name: None)
    return Fraction(str(value)), Fraction(0), True


def _rational(node: Node, depth: int) -> Fraction | None:
    """Exact rational arithmetic, or None where it is not rational (or too large)."""
    if depth > 40:
        return None
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Unit):
        return node.factor
    if isinstance(node, Sym | Label) or not isinstance(node, Op):
        raise Unknown(getattr(node, "name", "?"))
    if node.kind == "pct":
        return Fraction(1, 100)
    args = [_rational(a, depth + 1) for a in node.args]
    if any(a is None for a in args):
        return None
    values = [a for a in args if a is not None]
    if node.kind == "add":
        return sum(values, Fraction(0))
    if node.kind == "mul":
        product = Fraction(1)
        for value in values:
            product *= value
        return product
    if node.kind == "neg":
        return -values[0]
    if node.kind == "div":
        if values[1] == 0:
            raise Undefined("a division by zero")
        return values[0] / values[1]
    if node.kind == "fact":
        return Fraction(math.factorial(whole_for_factorial(values[0])))
    if node.kind == "pow" and values[1].denominator == 1 and values[0]:
        size = abs(int(values[1])) * max(len(str(values[0].numerator)),
                                         len(str(values[0].denominator)))
        if size > MAX_MAGNITUDE:
            raise Undefined(f"a number beyond 10^{MAX_MAGNITUDE} (not evaluated)")
        return values[0] ** int(values[1])
    return None
