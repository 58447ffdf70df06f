"""Formulas read from a write-up, spelled back in plain Unicode for messages.

`\\left(\\frac{410.7}{1.88 - 1.69}\\right)^{\\frac{1}{0.28}}` is shown as
`(410.7/(1.88 − 1.69))^(1/0.28)`: what was read, not what was typed, so a marker
sees the checker's reading (and a misreading would show). The report also shows each
line as written.
"""

from __future__ import annotations

from derivations.errors import MathError
from derivations.read.nodes import Label, Node, Num, Op, Sym, Unit
from derivations.sheet.mathtext import GREEK, parse

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


_RELATION_SIGNS = {"=": "=", "≈": r"\approx", "<": "<", ">": ">", "≤": r"\le", "≥": r"\ge",
                   "<=": r"\le", ">=": r"\ge", "≠": r"\ne", "→": r"\to"}


def math_source(node: Node) -> str:  # long: one case per node kind
    """The formula as read, in the inline-math subset of `sheet.mathtext` (`\\frac`,
    `^{}`, Greek, `\\ln`), so the report typesets it with the spellers every other
    formula goes through. Built from the parse tree, never from what was typed."""
    if isinstance(node, Num):
        text = node.text.replace("{,}", ",").replace("\\,", " ")
        plain = text.replace(".", "").replace(",", "").replace(" ", "").isdigit()
        return text.replace(" ", "\\,") if plain else rf"\text{{{text}}}"
    if isinstance(node, Sym):
        return _math_name(node.name)
    if isinstance(node, Label):
        return _math_name(node.name) + "(\\ldots)"
    if isinstance(node, Unit):
        return rf"\,\text{{{node.word}}}"
    kind, args = node.kind, node.args
    if kind == "add":
        out = math_source(args[0])
        for arg in args[1:]:
            if isinstance(arg, Op) and arg.kind == "neg":
                out += " - " + _math_wrapped(arg.args[0], 1, right=True)
            else:
                out += " + " + _math_wrapped(arg, 1)
        return out
    if kind == "neg":
        return "-" + _math_wrapped(args[0], 2)
    if kind == "mul":
        return _math_product(args)
    if kind == "div":
        return rf"\frac{{{math_source(args[0])}}}{{{math_source(args[1])}}}"
    if kind == "pow":  # a fraction in an exponent with a slash, as the engine writes it
        exponent = args[1]
        power = (f"{_math_wrapped(exponent.args[0], 5, tight=True)}/"
                 f"{_math_wrapped(exponent.args[1], 5, tight=True)}"
                 if isinstance(exponent, Op) and exponent.kind == "div"
                 else math_source(exponent))
        return f"{_math_wrapped(args[0], 5, tight=True)}^{{{power}}}"
    if kind == "pct":
        return r"\text{%}"
    if kind == "sqrt":
        return rf"\sqrt{{{math_source(args[0])}}}"
    if kind == "root":
        return f"({math_source(args[0])})^{{1/{_math_wrapped(args[1], 5, tight=True)}}}"
    if kind in ("exp", "ceil", "floor", "round"):
        word = {"exp": r"\exp"}.get(kind, rf"\mathrm{{{kind}}}")
        return f"{word}({math_source(args[0])})"
    if kind == "fact":
        return f"{_math_wrapped(args[0], 6, tight=True)}!"
    if kind == "log":
        base = node.base
        if base is None:
            return rf"\ln({math_source(args[0])})"
        label = str(base.numerator) if base.denominator == 1 else str(base)
        return rf"\log_{{{label}}}({math_source(args[0])})"
    return r"\text{?}"  # pragma: no cover - the parser makes no other kinds


def relation_source(left: Node, sign: str, right: Node) -> str:
    """`left sign right` in the inline-math subset (see `math_source`)."""
    return f"{math_source(left)} {_RELATION_SIGNS.get(sign, sign)} {math_source(right)}"


def inline(node: Node) -> str:
    """A formula inside a reason (prose markup): `$…$`, typeset by the reports and
    spelled as Unicode by `present.text.plain`; its plain spelling when the inline
    subset cannot hold it (too long or too deep)."""
    source = math_source(node)
    try:
        parse(source)
    except MathError:
        return spell(node).replace("$", "\\$")
    return f"${source}$"


def inline_relation(left: Node, sign: str, right: Node) -> str:
    """`left sign right` inside a reason, as one formula (see `inline`)."""
    source = relation_source(left, sign, right)
    try:
        parse(source)
    except MathError:
        return f"{spell(left)} {sign} {spell(right)}".replace("$", "\\$")
    return f"${source}$"


def math_name(text: str) -> str:
    """A quantity's name in a reason: `$d_{model}$` (the library's spelling when it has
    one), `$\\alpha$`, `$D'$`."""
    return f"${_math_name(text)}$"


def _math_name(text: str) -> str:
    base = text.rstrip("'")
    head, sep, sub = base.partition("_")
    head = f"\\{head}" if head in GREEK else head
    return head + (f"_{{{sub}}}" if sep else "") + text[len(base):]


def _math_product(args: tuple) -> str:
    out, previous = "", None
    for arg in args:
        piece = _math_wrapped(arg, 3)
        if previous is None:
            out = piece
        elif isinstance(arg, Op) and arg.kind == "pct":
            out += r"\text{%}"
        elif isinstance(arg, Unit):
            out += piece
        elif isinstance(arg, Sym) and len(arg.name.rstrip("'")) == 1 and (
                isinstance(previous, Num) or isinstance(previous, Sym) and len(
                    previous.name.rstrip("'")) == 1):
            out += " " + piece
        else:
            out += r" \times " + piece
        previous = arg
    return out


def _math_wrapped(node: Node, outer: int, right: bool = False, tight: bool = False) -> str:
    text = math_source(node)
    if isinstance(node, Op) and node.kind != "div":
        inner = _PRECEDENCE.get(node.kind, 6)
        if inner < outer or (right and inner == outer) or (tight and inner <= 4):
            return f"({text})"
    elif isinstance(node, Op) and tight:
        return f"({text})"
    elif tight and isinstance(node, Num) and node.value < 0:
        return f"({text})"
    return text
