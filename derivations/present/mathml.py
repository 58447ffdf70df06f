"""MathML for the engine's expressions: sympy's presentation printer, extended the way
the LaTeX printer is (one `_print_<Class>` per difference), never by editing markup.

Numbers are spelled from the project's own digits (`7.544 × 10^12`, minus as U+2212),
so HTML shows the same digits as the PDF and the terminal. Symbols are spelled from
the library's LaTeX spelling (`d_{\\text{model}}`, `R_D^{*}`, `\\hat{w}`), read by a
small parser of that LaTeX subset, so a symbol looks the same in the PDF and the page.
Requires sympy >= 1.14, whose printer writes fences as `<mo>` (MathML Core) instead of
the `<mfenced>` that browsers no longer render (sympy pull request 27137).
"""

from __future__ import annotations

from typing import Any
from xml.dom.minidom import Element

import sympy as sp
from sympy.printing.mathml import MathMLPresentationPrinter

from derivations.library import QUANTITIES
from derivations.numbers import Digits, digits, mantissa_text
from derivations.present.printing import LARGE_INTEGER, SUBSTITUTION_SIG
from derivations.present.shown import Displayed, Shown, shown_unit, unit_label
from derivations.sheet.mathtext import GREEK, SYMBOLS, Math, Node

MINUS = "\u2212"
NAMESPACE = "http://www.w3.org/1998/Math/MathML"
_OPERATOR_NAMES = {"max", "min", "log", "ln", "exp"}


class DerivationMathMLPrinter(MathMLPresentationPrinter):
    """Presentation MathML with the library's symbol spellings and our number spelling."""

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__({"mul_symbol": "dot", "ln_notation": True, **(settings or {})})

    def doprint(self, expr: Any) -> str:
        node = self._print(expr)
        _true_minus(node)
        return node.toxml()

    def element(self, tag: str, text: str | None = None, *children: Any) -> Element:
        node = self.dom.createElement(tag)
        if text is not None:
            node.appendChild(self.dom.createTextNode(text))
        for child in children:
            node.appendChild(child)
        return node

    def digits_node(self, shown: Digits) -> Element:
        """`7.544 × 10^12` as `<mn>7.544</mn><mo>×</mo><msup>...`; thin spaces kept."""
        mantissa = self.element("mn", mantissa_text(shown).replace("-", MINUS))
        if not shown.exponent:
            return mantissa
        power = self.element("msup", None, self.element("mn", "10"),
                             self.element("mn", str(shown.exponent).replace("-", MINUS)))
        return self.element("mrow", None, mantissa, self.element("mo", "×"), power)

    def _number(self, value: sp.Expr, sig: int = SUBSTITUTION_SIG) -> Element:
        return self.digits_node(digits(value, sig))

    def _print_Symbol(self, sym: sp.Symbol, style: str = "plain") -> Element:
        return self.symbol_node(sym.name)

    def symbol_node(self, name: str) -> Element:
        """A quantity's name as the PDF spells it; `E1.L` as L with `(E1)` above."""
        if name in QUANTITIES:
            return LatexSymbol(self, QUANTITIES[name].latex).parse()
        if "." in name:
            problem, local = name.split(".", 1)
            label = self.element("mrow", None, self.element("mo", "("),
                                 self.element("mi", problem), self.element("mo", ")"))
            return self.element("msup", None, self.symbol_node(local), label)
        base, _, sub = name.partition("_")
        ident = self.element("mi", GREEK.get(base, base))
        if not sub:
            return ident
        sub = sub.replace("_", " ")
        return self.element("msub", None, ident,
                            self.element("mi" if len(sub) == 1 else "mtext", GREEK.get(sub, sub)))

    def _print_Integer(self, expr: sp.Integer) -> Element:
        if abs(expr) < LARGE_INTEGER:
            return super()._print_Number(expr)
        return self._number(expr)

    def _print_Literal(self, expr: sp.Symbol) -> Element:
        if isinstance(expr.value, tuple):
            row = self.element("mrow", None, self.element("mo", "("))
            for index, value in enumerate(expr.value):
                if index:
                    row.appendChild(self.element("mo", ","))
                row.appendChild(self._number(value))
            row.appendChild(self.element("mo", ")"))
            return row
        return self._number(expr.value)

    def shown_node(self, shown: Shown) -> Element:
        row = self.element("mrow", None, self.digits_node(shown.digits))
        unit = shown_unit(shown)
        if unit:
            space = self.element("mspace", None)
            space.setAttribute("width", "0.25em")
            row.appendChild(space)
            row.appendChild(self.element("mtext", unit))
        return row

    def displayed_node(self, value: Displayed) -> Element:
        """An answer's result line: `350 GB = 325.96 GiB`, a vector, or true/false."""
        if value.truth is not None:
            return self.element("mtext", "true" if value.truth else "false")
        row = self.element("mrow", None)
        if value.items:
            row.appendChild(self.element("mo", "("))
            for index, item in enumerate(value.items):
                if index:
                    row.appendChild(self.element("mo", ","))
                row.appendChild(self.digits_node(item.digits))
            row.appendChild(self.element("mo", ")"))
            if unit_label(value.unit):
                row.appendChild(self.element("mtext", "\u00a0" + unit_label(value.unit)))
            return row
        for index, shown in enumerate(value.values):
            if index:
                row.appendChild(self.element("mo", "="))
            row.appendChild(self.shown_node(shown))
        return row


class LatexSymbol:
    """Reads the library's LaTeX spelling of a symbol (a small, closed subset: letters,
    Greek commands, `\\text{}`, `\\mathit{}`, `\\mathrm{}`, `\\hat{}`, `\\max`, `_`
    and `^`) into MathML."""

    def __init__(self, printer: DerivationMathMLPrinter, source: str) -> None:
        self.printer, self.source, self.at = printer, source, 0

    def parse(self) -> Element:
        nodes = self.sequence()
        return nodes[0] if len(nodes) == 1 else self.printer.element("mrow", None, *nodes)

    def sequence(self) -> list[Element]:
        nodes = []
        while self.at < len(self.source) and self.source[self.at] != "}":
            nodes.append(self.scripted())
        return nodes

    def scripted(self) -> Element:
        base = self.atom()
        sub = sup = None
        while self.at < len(self.source) and self.source[self.at] in "_^":
            mark = self.source[self.at]
            self.at += 1
            if mark == "_":
                sub = self.atom()
            else:
                sup = self.atom()
        element = self.printer.element
        if sub is not None and sup is not None:
            return element("msubsup", None, base, sub, sup)
        if sub is not None:
            return element("msub", None, base, sub)
        if sup is not None:
            return element("msup", None, base, sup)
        return base

    def group(self) -> list[Element]:
        self.at += 1  # "{"
        nodes = self.sequence()
        self.at += 1  # "}"
        return nodes

    def braced_text(self) -> str:
        end = self.source.index("}", self.at)
        text = self.source[self.at + 1:end]
        self.at = end + 1
        return text

    def atom(self) -> Element:
        element = self.printer.element
        ch = self.source[self.at]
        if ch == "{":
            nodes = self.group()
            return nodes[0] if len(nodes) == 1 else element("mrow", None, *nodes)
        if ch == "\\":
            end = self.at + 1
            while end < len(self.source) and self.source[end].isalpha():
                end += 1
            command, self.at = self.source[self.at + 1:end], end
            if command == "text":
                return element("mtext", self.braced_text())
            if command == "mathit":
                return element("mi", self.braced_text())
            if command == "mathrm":  # a word as a name (`bias`): upright, as in the PDF
                node = element("mi", self.braced_text())
                node.setAttribute("mathvariant", "normal")
                return node
            if command == "hat":
                accent = element("mover", None, self.atom(), element("mo", "\u02c6"))
                accent.setAttribute("accent", "true")
                return accent
            if command in _OPERATOR_NAMES:
                node = element("mi", command)
                node.setAttribute("mathvariant", "normal")
                return node
            return element("mi", GREEK.get(command, command))
        self.at += 1
        if ch.isdigit():
            return element("mn", ch)
        return element("mi" if ch.isalpha() else "mo", "∗" if ch == "*" else ch)


def _true_minus(node: Any) -> None:
    """Every `<mo>-</mo>` sympy wrote becomes U+2212, the minus sign of typeset math."""
    if getattr(node, "tagName", None) == "mo" and node.firstChild is not None \
            and node.firstChild.nodeValue == "-":
        node.firstChild.nodeValue = MINUS
    for child in getattr(node, "childNodes", ()):
        _true_minus(child)


def _math(node: Element, display: bool) -> str:
    mode = ' display="block"' if display else ""
    return f'<math xmlns="{NAMESPACE}"{mode}>{node.toxml()}</math>'


def mathml(expr: sp.Basic, display: bool = False) -> str:
    """A `<math>` element for any expression, equation or relation of the engine."""
    body = DerivationMathMLPrinter().doprint(expr)
    mode = ' display="block"' if display else ""
    return f'<math xmlns="{NAMESPACE}"{mode}>{body}</math>'


def symbol_mathml(name: str) -> str:
    """A `<math>` element holding one quantity's symbol."""
    return _math(DerivationMathMLPrinter().symbol_node(name), display=False)


def displayed_mathml(value: Displayed, symbol: str | None = None, display: bool = False,
                     boxed: bool = False) -> str:
    """A result as `<math>`: `D_new = [7.544 × 10^12 tokens]` (`boxed` adds a CSS box
    class: MathML Core has no `<menclose>`)."""
    printer = DerivationMathMLPrinter()
    result = printer.displayed_node(value)
    if boxed:
        result = printer.element("mrow", None, result)
        result.setAttribute("class", "boxed")
    if symbol is None:
        return _math(result, display)
    row = printer.element("mrow", None, printer.symbol_node(symbol),
                          printer.element("mo", "="), result)
    return _math(row, display)


def math_mathml(math: Math) -> str:
    """A `<math>` element for an inline formula of prose (`sheet.mathtext`), built as
    DOM nodes by this printer, so a library quantity looks the same in prose as in
    the formulas."""
    printer = DerivationMathMLPrinter()
    row = printer.element("mrow", None, *[_mathml(printer, n) for n in math.nodes])
    return f'<math xmlns="{NAMESPACE}">{row.toxml()}</math>'


def _mathml(printer: DerivationMathMLPrinter, node: Node | None) -> Any:  # long: one case per kind
    element = printer.element
    if node is None:
        return element("mrow", None)
    if node.kind == "name":
        return element("mi", node.text)
    if node.kind == "number":
        return element("mn", node.text)
    if node.kind == "text":
        return element("mtext", node.text)
    if node.kind == "op":
        return element("mo", node.text if node.text != " " else "\u2009")
    if node.kind == "symbol":
        return element("mo", SYMBOLS[node.text])
    if node.kind == "function":
        name = element("mi", node.text)
        name.setAttribute("mathvariant", "normal")
        return name
    if node.kind == "quantity":
        return printer.symbol_node(node.text)
    if node.kind == "group":
        return element("mrow", None, *[_mathml(printer, n) for n in node.children])
    if node.kind == "frac":
        return element("mfrac", None, *[_mathml(printer, n) for n in node.children])
    if node.kind == "sqrt":
        return element("msqrt", None, _mathml(printer, node.children[0]))
    base, sub, sup = node.children
    if sub is not None and sup is not None:
        return element("msubsup", None, _mathml(printer, base), _mathml(printer, sub),
                       _mathml(printer, sup))
    if sub is not None:
        return element("msub", None, _mathml(printer, base), _mathml(printer, sub))
    return element("msup", None, _mathml(printer, base), _mathml(printer, sup))
