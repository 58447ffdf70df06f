"""Formulas read from a write-up, spelled back: in plain Unicode for messages, and in
the inline-math subset of sheet prose for the reports to typeset.

`\\left(\\frac{410.7}{1.88 - 1.69}\\right)^{\\frac{1}{0.28}}` is shown as
`(410.7/(1.88 − 1.69))^(1/0.28)`: what was read, not what was typed, so a marker
sees the checker's reading (and a misreading would show). The report also shows each
line as written.

Why one walker with two spellings: both follow the same tree, brackets and products
the same way; only the words differ (`/` or `\\frac`, `×` or `\\times`), so each
spelling is a small table of them (`_Unicode`, `_Subset`) and a handful of leaves.
"""

from __future__ import annotations

from derivations.errors import MathError
from derivations.read.nodes import Label, Node, Num, Op, Sym, Unit
from derivations.sheet.mathtext import GREEK, parse

_SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPT_DIGITS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_PRECEDENCE = {"add": 1, "neg": 2, "mul": 3, "div": 3, "pct": 4, "pow": 5}
_RELATION_SIGNS = {"=": "=", "≈": r"\approx", "<": "<", ">": ">", "≤": r"\le", "≥": r"\ge",
                   "<=": r"\le", ">=": r"\ge", "≠": r"\ne", "→": r"\to"}


class _Unicode:
    """Plain Unicode: `(410.7/(1.88 − 1.69))^(1/0.28)`, `log₂(x)`, `d_model`."""

    minus, plus, times, juxtapose, unit_gap, percent = " − ", " + ", " × ", "", " ", "%"
    negative = "−"

    def number(self, node: Num) -> str:
        return node.text.replace("{,}", ",").replace("\\,", " ")

    def name(self, text: str) -> str:
        return name(text)

    def unit(self, node: Unit) -> str:
        return node.word

    def divide(self, top: Node, bottom: Node) -> str:
        return f"{self.wrapped(top, 3)}/{self.wrapped(bottom, 3, right=True, tight=True)}"

    def power(self, base: Node, exponent: Node) -> str:
        if isinstance(base, Num) and base.text == "10" and isinstance(exponent, Num) and \
                exponent.value.denominator == 1:
            return "10" + str(exponent.value.numerator).translate(_SUPERSCRIPT_DIGITS)
        return f"{self.wrapped(base, 5, tight=True)}^{self.wrapped(exponent, 5, tight=True)}"

    def call(self, kind: str, inner: str) -> str:
        if kind in ("ceil", "floor"):
            return ("⌈{}⌉" if kind == "ceil" else "⌊{}⌋").format(inner)
        if kind == "sqrt":
            return f"√({inner})"
        return f"{kind}({inner})"

    def log(self, base: str | None, inner: str) -> str:
        if base is None:
            return f"ln({inner})"
        return f"log{base.translate(_SUBSCRIPT_DIGITS)}({inner})"

    def root(self, radicand: Node, index: Node) -> str:
        return f"({self.spell(radicand)})^(1/{self.spell(index)})"

    # -- the walk, the same for every spelling ------------------------------------------
    def spell(self, node: Node) -> str:  # long: one case per node kind
        if isinstance(node, Num):
            return self.number(node)
        if isinstance(node, Sym):
            return self.name(node.name)
        if isinstance(node, Label):
            return self.name(node.name) + "(…)"
        if isinstance(node, Unit):
            return self.unit(node)
        kind, args = node.kind, node.args
        if kind == "add":
            out = self.spell(args[0])
            for arg in args[1:]:
                if isinstance(arg, Op) and arg.kind == "neg":
                    out += self.minus + self.wrapped(arg.args[0], 1, right=True)
                else:
                    out += self.plus + self.wrapped(arg, 1)
            return out
        if kind == "neg":
            return self.negative + self.wrapped(args[0], 2)
        if kind == "mul":
            return self.product(args)
        if kind == "div":
            return self.divide(args[0], args[1])
        if kind == "pow":
            return self.power(args[0], args[1])
        if kind == "pct":
            return self.percent
        if kind == "root":
            return self.root(args[0], args[1])
        if kind in ("sqrt", "exp", "ceil", "floor", "round"):
            return self.call(kind, self.spell(args[0]))
        if kind == "fact":
            return f"{self.wrapped(args[0], 6, tight=True)}!"
        if kind == "log":
            base = node.base
            label = None if base is None else (
                str(base.numerator) if base.denominator == 1 else str(base))
            return self.log(label, self.spell(args[0]))
        return "?"  # pragma: no cover - the parser makes no other kinds

    def product(self, args: tuple) -> str:
        out = ""
        previous: Node | None = None
        for arg in args:
            piece = self.wrapped(arg, 3)
            if previous is None:
                out = piece
            elif isinstance(arg, Op) and arg.kind == "pct":
                out += self.percent
            elif isinstance(arg, Unit):
                out += self.unit_gap + piece
            elif isinstance(arg, Sym) and len(arg.name.rstrip("'")) == 1 and (
                    isinstance(previous, Num) or isinstance(previous, Sym) and len(
                        previous.name.rstrip("'")) == 1):
                out += self.juxtapose + piece
            else:
                out += self.times + piece
            previous = arg
        return out

    def wrapped(self, node: Node, outer: int, right: bool = False, tight: bool = False) -> str:
        text = self.spell(node)
        if isinstance(node, Op):
            inner = _PRECEDENCE.get(node.kind, 6)
            if inner < outer or (right and inner == outer) or (tight and inner <= 4):
                return f"({text})"
        elif tight and isinstance(node, Num) and node.value < 0:
            return f"({text})"
        return text


class _Subset(_Unicode):
    """The inline-math subset of `sheet.mathtext`: `\\frac`, `^{}`, Greek, `\\ln`."""

    minus, plus, times, juxtapose, unit_gap, percent = (" - ", " + ", r" \times ", " ", "",
                                                        r"\text{%}")
    negative = "-"

    def number(self, node: Num) -> str:
        text = super().number(node)
        plain = text.replace(".", "").replace(",", "").replace(" ", "").isdigit()
        return text.replace(" ", "\\,") if plain else rf"\text{{{text}}}"

    def name(self, text: str) -> str:
        base = text.rstrip("'")
        head, sep, sub = base.partition("_")
        head = f"\\{head}" if head in GREEK else head
        return head + (f"_{{{sub}}}" if sep else "") + text[len(base):]

    def unit(self, node: Unit) -> str:
        return rf"\,\text{{{node.word}}}"

    def divide(self, top: Node, bottom: Node) -> str:
        return rf"\frac{{{self.spell(top)}}}{{{self.spell(bottom)}}}"

    def power(self, base: Node, exponent: Node) -> str:
        """A fraction in an exponent with a slash, as the engine writes it."""
        power = (f"{self.wrapped(exponent.args[0], 5, tight=True)}/"
                 f"{self.wrapped(exponent.args[1], 5, tight=True)}"
                 if isinstance(exponent, Op) and exponent.kind == "div"
                 else self.spell(exponent))
        return f"{self.wrapped(base, 5, tight=True)}^{{{power}}}"

    def call(self, kind: str, inner: str) -> str:
        if kind == "sqrt":
            return rf"\sqrt{{{inner}}}"
        return (r"\exp" if kind == "exp" else rf"\mathrm{{{kind}}}") + f"({inner})"

    def log(self, base: str | None, inner: str) -> str:
        return rf"\ln({inner})" if base is None else rf"\log_{{{base}}}({inner})"

    def root(self, radicand: Node, index: Node) -> str:
        return f"({self.spell(radicand)})^{{1/{self.wrapped(index, 5, tight=True)}}}"

    def wrapped(self, node: Node, outer: int, right: bool = False, tight: bool = False) -> str:
        if isinstance(node, Op) and node.kind == "div":  # a \frac is its own bracket...
            return f"({self.spell(node)})" if tight else self.spell(node)  # ...but in a power
        return super().wrapped(node, outer, right, tight)


_UNICODE, _SUBSET = _Unicode(), _Subset()


def spell(node: Node) -> str:
    """The formula as read, in plain Unicode."""
    return _UNICODE.spell(node)


def math_source(node: Node) -> str:
    """The formula as read, in the inline-math subset of `sheet.mathtext` (`\\frac`,
    `^{}`, Greek, `\\ln`), so the report typesets it with the spellers every other
    formula goes through. Built from the parse tree, never from what was typed."""
    return _SUBSET.spell(node)


def relation_source(left: Node, sign: str, right: Node) -> str:
    """`left sign right` in the inline-math subset (see `math_source`)."""
    return f"{math_source(left)} {_RELATION_SIGNS.get(sign, sign)} {math_source(right)}"


def inline(node: Node) -> str:
    """A formula inside a reason (prose markup): `$…$`, typeset by the reports and
    spelled as Unicode by `present.text.plain`; its plain spelling when the inline
    subset cannot hold it (too long or too deep)."""
    return _inline(math_source(node), spell(node))


def inline_relation(left: Node, sign: str, right: Node) -> str:
    """`left sign right` inside a reason, as one formula (see `inline`)."""
    return _inline(relation_source(left, sign, right),
                   f"{spell(left)} {sign} {spell(right)}")


def _inline(source: str, fallback: str) -> str:
    try:
        parse(source)
    except MathError:
        return fallback.replace("$", "\\$")
    return f"${source}$"


def math_name(text: str) -> str:
    """A quantity's name in a reason: `$d_{model}$` (the library's spelling when it has
    one), `$\\alpha$`, `$D'$`."""
    return f"${_SUBSET.name(text)}$"


def name(text: str) -> str:
    """`alpha` -> α, `d_model` stays, `D'` stays."""
    base = text.rstrip("'")
    primes = text[len(base):]
    head, sep, sub = base.partition("_")
    head = GREEK.get(head, head)
    return f"{head}{sep}{sub}{primes}"
