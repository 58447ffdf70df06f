"""The safe expression parser: text from TOML sheets and students becomes sympy here.

Untrusted text is parsed by Python's `ast` module (which only *parses*; nothing is
run) and every node is checked against a whitelist before a sympy object is built
from it by hand. There is no `eval`, `sympify` or `parse_expr` anywhere on the way, so
`__import__('os').system('id')`, attribute tricks, lambdas and comprehensions are
refused with the column of the culprit.

What is accepted:
  numbers (decimal text becomes an exact rational: `0.34` is 17/50; `0b1001` is a
  binary integer, for the bit fields of floating-point formats), names
  (`N`, `L_target`), qualified answer ids (`E1.L`), `+ - * / ** ^`, parentheses,
  lists of numbers (`[1.2, -0.5]`, evaluated element-wise), the functions in
  `FUNCTIONS`, and, only where a claim is checked, one comparison (`E1.L < 2`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

import sympy as sp

from derivations.errors import ExpressionError
from derivations.library.core import RoundHalfAway
from derivations.limits import LimitError, check_power, check_size

MAX_LENGTH = 2000
MAX_EXPONENT = 10_000
MAX_LITERAL_DIGITS = 3000   # digits of a number written in an expression
_LITERAL = re.compile(r"^([0-9_]*)(?:\.([0-9_]*))?(?:[eE]([+-]?[0-9_]+))?$")
_BITS = re.compile(r"^0[bB][01_]{1,130}$")  # bit fields of a float: 0b10000000

Value: TypeAlias = sp.Expr | tuple  # a scalar, or a vector of scalars
Resolver = Callable[[str], Value]


def _log(x: sp.Expr, base: sp.Expr | None = None) -> sp.Expr:
    return sp.log(x) if base is None else sp.log(x, base)


def _reduce(fn: type[sp.Max] | type[sp.Min]) -> Callable[..., sp.Expr]:
    def apply(*args: Value) -> sp.Expr:
        flat: list[sp.Expr] = []
        for arg in args:
            flat.extend(arg if isinstance(arg, tuple) else (arg,))
        return fn(*flat)

    return apply


#: name -> (sympy builder, allowed argument counts, applies element-wise to vectors)
FUNCTIONS: dict[str, tuple[Callable[..., sp.Expr], tuple[int, ...], bool]] = {
    "sqrt": (sp.sqrt, (1,), True),
    "exp": (sp.exp, (1,), True),
    "ln": (sp.log, (1,), True),
    "log": (_log, (1, 2), True),
    "log2": (lambda x: sp.log(x, 2), (1,), True),
    "log10": (lambda x: sp.log(x, 10), (1,), True),
    "ceil": (sp.ceiling, (1,), True),
    "floor": (sp.floor, (1,), True),
    "round": (RoundHalfAway, (1,), True),
    "abs": (sp.Abs, (1,), True),
    "max": (_reduce(sp.Max), (1, 2, 3, 4, 5, 6, 7, 8), False),
    "min": (_reduce(sp.Min), (1, 2, 3, 4, 5, 6, 7, 8), False),
}

CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi}

#: Operators a sheet may not use, as they are written (for the error message).
_SPELLED: dict[type, str] = {
    ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
    ast.LShift: "<<", ast.RShift: ">>", ast.Invert: "~", ast.Not: "not"}

_BINARY: dict[type, Callable[[sp.Expr, sp.Expr], sp.Expr]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}

_RELATIONS: dict[type, str] = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
}


@dataclass(frozen=True)
class Parsed:
    """A whitelisted expression, ready to be built against any set of values.

    Attributes:
        text: the source text.
        tree: the checked AST.
        names: every name it references, qualified ids as `E1.L`, in order of appearance.
    """

    text: str
    tree: ast.expr
    names: tuple[str, ...]

    def build(self, resolve: Resolver,
              constant: Callable[[sp.Rational], sp.Expr] | None = None) -> Value:
        """The sympy value, with each name replaced by `resolve(name)`.

        Args:
            resolve: value (or symbol) of each name.
            constant: optional wrapper for numbers written in the text, so a printer
                can show `0.99` as written while the value stays exact.
        """
        return _Builder(self.text, resolve, constant).visit(self.tree)

    def symbolic(self) -> sp.Expr:
        """The expression with every name as a plain symbol (for display)."""
        return self.build(lambda name: sp.Symbol(name.replace(".", "_")))


def parse(text: str, *, relation: bool = False) -> Parsed:
    """Parse and check `text`; raises ExpressionError naming the refused construct.

    Args:
        text: the expression.
        relation: accept one comparison at the top (claims in true/false asks).
    """
    if not isinstance(text, str):
        raise ExpressionError(repr(text), "expected an expression string")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(text, f"expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExpressionError(text, "empty expression")
    written = text.strip()
    source, columns = _rewrite_carets(written)
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError as exc:
        offset = _column(columns, exc.offset - 1) if exc.offset else None
        raise ExpressionError(written, "not a valid expression", offset) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(text, "expression nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal beyond Python's digit limit
        raise ExpressionError(written, f"not a valid expression ({exc})") from None
    names: list[str] = []
    try:
        _Checker(source, names, relation).visit(tree)
    except ExpressionError as exc:
        offset = _column(columns, exc.offset) if exc.offset is not None else None
        raise ExpressionError(written, exc.reason, offset) from None
    return Parsed(source, tree, tuple(dict.fromkeys(names)))


def _rewrite_carets(text: str) -> tuple[str, list[int]]:
    """`^` becomes `**`, with a map from new columns back to the columns as written.

    Why: people write powers with `^`, and Python's `^` binds more loosely than `-`,
    so `1 - 2^x` would parse as `(1 - 2)^x`. As `**` it gets a power's precedence.
    """
    out, columns = [], []
    for column, char in enumerate(text):
        if char == "^":
            out.append("**")
            columns += [column, column]
        else:
            out.append(char)
            columns.append(column)
    return "".join(out), columns


def _column(columns: list[int], offset: int) -> int:
    return columns[offset] if 0 <= offset < len(columns) else len(columns)


class _Checker(ast.NodeVisitor):
    """Refuses every node that is not on the whitelist; collects referenced names."""

    def __init__(self, text: str, names: list[str], relation: bool) -> None:
        self.text, self.names, self.relation = text, names, relation
        self.depth = 0

    def refuse(self, node: ast.AST, what: str) -> ExpressionError:
        return ExpressionError(self.text, what, getattr(node, "col_offset", None))

    def generic_visit(self, node: ast.AST) -> None:
        raise self.refuse(node, f"{type(node).__name__} is not allowed")

    def visit(self, node: ast.AST) -> None:
        # A chain `a + b + c + ...` nests left in the AST; it counts as one level, so
        # only real nesting (parentheses, calls, powers) is limited.
        chained = isinstance(node, ast.BinOp) and isinstance(node.left, ast.BinOp) \
            and type(node.left.op) is type(node.op)
        step = 0 if chained else 1
        self.depth += step
        if self.depth > 100:
            raise self.refuse(node, "expression nested too deeply")
        super().visit(node)
        self.depth -= step

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, bool) or not isinstance(node.value, int | float | complex):
            raise self.refuse(node, f"literal {node.value!r} is not a number")
        segment = ast.get_source_segment(self.text, node) or ""
        if _BITS.match(segment):
            return
        match = _LITERAL.match(segment)
        if isinstance(node.value, complex) or not match:
            raise self.refuse(node, f"literal {segment!r} is not a number (write plain decimals)")
        whole, fraction, exponent = (g.replace("_", "") if g else "" for g in match.groups())
        digits = len(whole) + len(fraction)
        if len(exponent.lstrip("+-")) > 6 or digits > MAX_LITERAL_DIGITS \
                or abs(int(exponent or 0)) + digits > MAX_LITERAL_DIGITS:
            raise self.refuse(node, f"the number {segment[:30]!r} is too large or too small "
                              f"(at most about {MAX_LITERAL_DIGITS} digits either way)")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id.startswith("_"):
            raise self.refuse(node, f"name {node.id!r} is not allowed")
        if node.id in FUNCTIONS:
            raise self.refuse(node, f"function {node.id!r} must be called")
        if node.id not in CONSTANTS:
            self.names.append(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # Only `PROBLEM.answer`: a qualified id, looked up in a table, never an attribute.
        if not isinstance(node.value, ast.Name) or node.attr.startswith("_") \
                or node.value.id.startswith("_"):
            raise self.refuse(node, "attribute access is not allowed")
        self.names.append(f"{node.value.id}.{node.attr}")

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if type(node.op) not in _BINARY:
            # Located at the operator as written (`%`), not at the left operand, and
            # named as the author wrote it rather than by Python's class name.
            start = node.left.end_col_offset or 0
            between = self.text[start:node.right.col_offset]
            offset = start + len(between) - len(between.lstrip(" \t)"))
            symbol = _SPELLED.get(type(node.op), type(node.op).__name__)
            raise ExpressionError(self.text, f"operator {symbol!r} is not allowed (use + - * "
                                  "/ and ^ or **, and functions such as floor or min)",
                                  offset)
        self.visit(node.left)
        self.visit(node.right)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if not isinstance(node.op, ast.USub | ast.UAdd):
            symbol = _SPELLED.get(type(node.op), type(node.op).__name__)
            raise self.refuse(node, f"operator {symbol!r} is not allowed")
        self.visit(node.operand)

    def visit_Call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            shown = node.func.id if isinstance(node.func, ast.Name) else "this"
            raise self.refuse(node, f"function {shown!r} is not allowed "
                              f"(allowed: {', '.join(FUNCTIONS)})")
        if node.keywords:
            raise self.refuse(node, "keyword arguments are not allowed")
        if len(node.args) not in FUNCTIONS[node.func.id][1]:
            raise self.refuse(node, f"wrong number of arguments to {node.func.id}()")
        for arg in node.args:
            self.visit(arg)

    def visit_List(self, node: ast.List) -> None:
        if not node.elts:
            raise self.refuse(node, "empty list")
        for elt in node.elts:
            self.visit(elt)

    def visit_Compare(self, node: ast.Compare) -> None:
        if not self.relation or self.depth != 1:
            raise self.refuse(node, "comparisons are only allowed in a claim")
        if len(node.ops) != 1 or type(node.ops[0]) not in _RELATIONS:
            raise self.refuse(node, "use exactly one comparison (<, <=, >, >=, ==, !=)")
        self.visit(node.left)
        self.visit(node.comparators[0])


class _Builder(ast.NodeVisitor):
    """Builds sympy values from a checked tree; vectors broadcast element-wise."""

    def __init__(self, text: str, resolve: Resolver,
                 constant: Callable[[sp.Rational], sp.Expr] | None) -> None:
        self.text, self.resolve, self.constant = text, resolve, constant

    def visit_Constant(self, node: ast.Constant) -> sp.Expr:
        segment = ast.get_source_segment(self.text, node) or repr(node.value)
        if _BITS.match(segment):
            exact = Fraction(int(segment.replace("_", ""), 2))
        else:
            exact = Fraction(segment.replace("_", ""))  # exact: "0.34" -> 17/50
        value = sp.Rational(exact.numerator, exact.denominator)
        return self.constant(value) if self.constant else value

    def visit_Name(self, node: ast.Name) -> Value:
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        return self.resolve(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> Value:
        assert isinstance(node.value, ast.Name)
        return self.resolve(f"{node.value.id}.{node.attr}")

    def visit(self, node: ast.AST) -> Value:
        """Every value built is checked for size; a limit is reported at its column."""
        try:
            value = super().visit(node)
            items = value if isinstance(value, tuple) else (value,)
            for item in items:
                check_size(item)
            return value
        except LimitError as exc:  # located here; errors of looked-up names pass through
            raise ExpressionError(self.text, str(exc), getattr(node, "col_offset", None)) \
                from None

    def visit_BinOp(self, node: ast.BinOp) -> Value:
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Pow):
            self._check_exponent(node, right)
            _broadcast(check_power, [left, right], self.text, node)
        return _broadcast(_BINARY[type(node.op)], [left, right], self.text, node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Value:
        operand = self.visit(node.operand)
        sign = -1 if isinstance(node.op, ast.USub) else 1
        return _broadcast(lambda v: sign * v, [operand], self.text, node)

    def visit_Call(self, node: ast.Call) -> Value:
        assert isinstance(node.func, ast.Name)
        builder, _, elementwise = FUNCTIONS[node.func.id]
        args = [self.visit(arg) for arg in node.args]
        if node.func.id == "exp":
            _broadcast(lambda x: check_power(sp.E, x), args, self.text, node)
        if elementwise:
            return _broadcast(builder, args, self.text, node)
        return builder(*args)

    def visit_List(self, node: ast.List) -> tuple:
        values = [self.visit(elt) for elt in node.elts]
        if any(isinstance(v, tuple) for v in values):
            raise ExpressionError(self.text, "nested lists are not allowed", node.col_offset)
        return tuple(values)

    def visit_Compare(self, node: ast.Compare) -> sp.Basic:
        left, right = self.visit(node.left), self.visit(node.comparators[0])
        if isinstance(left, tuple) or isinstance(right, tuple):
            raise ExpressionError(self.text, "cannot compare lists", node.col_offset)
        return sp.Rel(left, right, _RELATIONS[type(node.ops[0])])

    def _check_exponent(self, node: ast.BinOp, exponent: Value) -> None:
        values = exponent if isinstance(exponent, tuple) else (exponent,)
        for value in values:
            if value.is_Number and abs(value) > MAX_EXPONENT:
                raise ExpressionError(self.text, f"exponent larger than {MAX_EXPONENT}",
                                      node.col_offset)


def _broadcast(fn: Callable[..., sp.Expr], args: Sequence[Value], text: str,
               node: ast.expr) -> Value:
    """Apply `fn` to scalars, or element by element when any argument is a vector."""
    lengths = {len(a) for a in args if isinstance(a, tuple)}
    if not lengths:
        return fn(*args)
    if len(lengths) > 1:
        raise ExpressionError(text, "lists of different lengths", node.col_offset)
    (length,) = lengths
    return tuple(fn(*[a[i] if isinstance(a, tuple) else a for a in args])
                 for i in range(length))


def number(text: str) -> sp.Rational:
    """An exact rational from a plain decimal string such as `4.1e12` (no names)."""
    parsed = parse(text)
    if parsed.names:
        raise ExpressionError(text, "expected a number")
    value = parsed.build(lambda name: sp.Integer(0))
    if isinstance(value, tuple) or not value.is_Number:
        raise ExpressionError(text, "expected a number")
    return value
