"""Formulas read from a write-up, spelled back in plain Unicode for messages.

`\\left(\\frac{410.7}{1.88 - 1.69}\\right)^{\\frac{1}{0.28}}` is shown as
`(410.7/(1.88 − 1.69))^(1/0.28)`: what was read, not what was typed, so a marker
sees the checker's reading (and a misreading would show). The report also shows each
line as written.
"""

from __future__ import annotations

from derivations.read.nodes import Label, Node, Num, Op, Sym, Unit
from derivations.sheet.mathtext import GREEK

_SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPT_DIGITS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_PRECEDENCE = {"add": 1, "neg": 2, "mul": 3, "div": 3, "pct": 4, "pow": 5}


def spell(node: Node) -> str:  # long: one case per node kind
    if isinstance(node, Num):
        return node.text.replace("{,}", ",").replace("\\,", " ")
    if isinstance(node, Sym):
        return name(node.name)
    if isinstance(node, Label):
        return name(node.name) + "(…)"
    if isinstance(node, Unit):
        return node.word
    kind, args = node.kind, node.args
    if kind == "add":
        out = spell(args[0])
        for arg in args[1:]:
            if isinstance(arg, Op) and arg.kind == "neg":
                out += " − " + _wrapped(arg.args[0], 1, right=True)
            else:
                out += " + " + _wrapped(arg, 1)
        return out
    if kind == "neg":
        return "−" + _wrapped(args[0], 2)
    if kind == "mul":
        return _product(args)
    if kind == "div":
        return f"{_wrapped(args[0], 3)}/{_wrapped(args[1], 3, right=True, tight=True)}"
    if kind == "pow":
        base, exponent = args
        if isinstance(base, Num) and base.text == "10" and isinstance(exponent, Num) and \
                exponent.value.denominator == 1:
            return "10" + str(exponent.value.numerator).translate(_SUPERSCRIPT_DIGITS)
        return f"{_wrapped(base, 5, tight=True)}^{_wrapped(exponent, 5, tight=True)}"
    if kind == "pct":
        return "%"
    if kind == "sqrt":
        return f"√({spell(args[0])})"
    if kind == "root":
        return f"({spell(args[0])})^(1/{spell(args[1])})"
    if kind == "exp":
        return f"exp({spell(args[0])})"
    if kind in ("ceil", "floor"):
        return ("⌈{}⌉" if kind == "ceil" else "⌊{}⌋").format(spell(args[0]))
    if kind == "round":
        return f"round({spell(args[0])})"
    if kind == "fact":
        return f"{_wrapped(args[0], 6, tight=True)}!"
    if kind == "log":
        base = node.base
        if base is None:
            return f"ln({spell(args[0])})"
        label = str(base.numerator) if base.denominator == 1 else str(base)
        return f"log{label.translate(_SUBSCRIPT_DIGITS)}({spell(args[0])})"
    return "?"  # pragma: no cover - the parser makes no other kinds


def name(text: str) -> str:
    """`alpha` -> α, `d_model` stays, `D'` stays."""
    base = text.rstrip("'")
    primes = text[len(base):]
    head, sep, sub = base.partition("_")
    head = GREEK.get(head, head)
    return f"{head}{sep}{sub}{primes}"


def _product(args: tuple) -> str:
    out = ""
    previous: Node | None = None
    for arg in args:
        piece = _wrapped(arg, 3)
        if previous is None:
            out = piece
        elif isinstance(arg, Op) and arg.kind == "pct":
            out += "%"
        elif isinstance(arg, Unit):
            out += " " + piece
        elif isinstance(arg, Sym) and len(arg.name.rstrip("'")) == 1 and (
                isinstance(previous, Num) or isinstance(previous, Sym) and len(
                    previous.name.rstrip("'")) == 1):
            out += piece
        else:
            out += " × " + piece
        previous = arg
    return out


def _wrapped(node: Node, outer: int, right: bool = False, tight: bool = False) -> str:
    text = spell(node)
    if isinstance(node, Op):
        inner = _PRECEDENCE.get(node.kind, 6)
        if inner < outer or (right and inner == outer) or (tight and inner <= 4):
            return f"({text})"
    elif tight and isinstance(node, Num) and node.value < 0:
        return f"({text})"
    return text
