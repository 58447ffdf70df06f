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
from derivations.present.printing import LARGE_INTEGER, SUBSTITUTION_SIG, TextbookOrder
from derivations.present.printing import text as plain_text
from derivations.present.shown import Displayed, Shown, in_unit, shown_unit, unit_label
from derivations.sheet.mathtext import GREEK, SYMBOLS, Math, Node

MINUS = "\u2212"
NAMESPACE = "http://www.w3.org/1998/Math/MathML"
_OPERATOR_NAMES = {"max", "min", "log", "ln", "exp"}


class DerivationMathMLPrinter(TextbookOrder, MathMLPresentationPrinter):
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

    def _print_Pow(self, expr: sp.Pow) -> Element:
        """A symbolic fraction in an exponent with a slash, `x^{1/β}`, as in the PDF (a
        `<mfrac>` in a superscript is set too small to read)."""
        numer, denom = sp.fraction(expr.exp)
        if denom == 1 or expr.exp.is_Rational or expr.exp.is_negative:
            return super()._print_Pow(expr)
        from sympy.printing.precedence import PRECEDENCE

        def part(term: sp.Expr) -> Element:
            if term.is_Atom or isinstance(term, sp.Symbol):
                return self._print(term)
            return self.element("mrow", None, self.element("mo", "("), self._print(term),
                                self.element("mo", ")"))

        exponent = self.element("mrow", None, part(numer), self.element("mo", "/"),
                                part(denom))
        return self.element("msup", None, self.parenthesize(expr.base, PRECEDENCE["Pow"]),
                            exponent)

    def _print_Integer(self, expr: sp.Integer) -> Element:
        if abs(expr) < LARGE_INTEGER:
            return super()._print_Number(expr)
        return self._number(expr)

    def _print_ClipInt8(self, expr: sp.Expr) -> Element:
        return self._named_call("clip", expr)

    def _print_RoundHalfAway(self, expr: sp.Expr) -> Element:
        return self._named_call("round", expr)

    def _named_call(self, word: str, expr: sp.Expr) -> Element:
        """`round(x)`, as the PDF and the text write it (sympy spelled the class name)."""
        name = self.element("mi", word)
        name.setAttribute("mathvariant", "normal")
        return self.element("mrow", None, name, self.element("mo", "("),
                            self._print(expr.args[0]), self.element("mo", ")"))

    #: Vectors as columns (the phone layout: a row of four 6-digit numbers is wider
    #: than a phone's line); set on an instance.
    column_vectors = False

    def vector_node(self, entries: list[Element]) -> Element:
        """`(a, b, c)`, or with `column_vectors` the same entries stacked in a column."""
        if self.column_vectors:
            table = self.element("mtable", None, *[
                self.element("mtr", None, self.element("mtd", None, entry))
                for entry in entries])
            return self.element("mrow", None, self.element("mo", "("), table,
                                self.element("mo", ")"))
        row = self.element("mrow", None, self.element("mo", "("))
        for index, entry in enumerate(entries):
            if index:
                row.appendChild(self.element("mo", ","))
            row.appendChild(entry)
        row.appendChild(self.element("mo", ")"))
        return row

    def _print_Literal(self, expr: sp.Symbol) -> Element:
        if isinstance(expr.value, tuple):
            return self.vector_node([self._number(value) for value in expr.value])
        if expr.unit != "1":
            return self.shown_node(in_unit(expr.value, expr.unit, SUBSTITUTION_SIG))
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
            row.appendChild(self.vector_node([self.digits_node(item.digits)
                                              for item in value.items]))
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


def _thin_space(element: Any) -> Element:
    space = element("mspace", None)
    space.setAttribute("width", "0.1667em")
    return space


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


#: An equation longer than this (in plain-text characters) also gets a broken layout
#: for phones. Why a character count: the page has no script to measure widths, and
#: at 390 px a display equation of about 30 characters can fill the line.
LONG_EQUATION = 28


def mathml_lines(expr: sp.Basic) -> list[str] | None:
    """A long relation in lines, one `<math>` each, broken as a textbook breaks a
    display that does not fit: before each top-level `+` or `−` of the right side
    (`L = A/N^α` / `+ B/D^β` / `+ E`), inside the one bracketed sum of a product
    (`C = b·n·(24d²` / `+ 4d` / `+ 3)`), else after the relation sign. The phone layout
    of an `Equation`; None when the relation is short (in plain-text characters)."""
    if len(plain_text(expr)) <= LONG_EQUATION \
            or not isinstance(expr, sp.core.relational.Relational):
        return None
    printer = DerivationMathMLPrinter()
    printer.column_vectors = True
    element = printer.element
    relation = printer._print(type(expr)(expr.lhs, sp.Symbol("x"), evaluate=False))
    relation.removeChild(relation.lastChild)  # `lhs =`, the sign of this relation
    rhs = expr.rhs
    sums = [f for f in rhs.args if isinstance(f, sp.Add)] if isinstance(rhs, sp.Mul) else []
    if isinstance(rhs, sp.Add):
        before, terms, after = [], printer._as_ordered_terms(rhs), []
    elif len(sums) == 1 and not rhs.could_extract_minus_sign() \
            and len(plain_text(sums[0])) > LONG_EQUATION:  # else the brackets stay on one line
        factor = sp.Mul(*[f for f in rhs.args if f is not sums[0]], evaluate=False)
        before = [printer._print(factor), element("mo", "\u22c5"), element("mo", "(")]
        terms, after = printer._as_ordered_terms(sums[0]), [element("mo", ")")]
    else:
        lines = [relation, printer._print(rhs)]
        for line in lines:
            _true_minus(line)
        return [_math(line, display=True) for line in lines]
    first, *rest = terms
    lines = [element("mrow", None, relation, *before, printer._print(first))]
    for index, term in enumerate(rest):
        sign, magnitude = ("−", -term) if term.could_extract_minus_sign() else ("+", term)
        tail = after if index == len(rest) - 1 else []
        operator = element("mo", sign)  # a binary sign's space after it, not `+B`
        operator.setAttribute("lspace", "0")
        operator.setAttribute("rspace", "0.2222em")
        lines.append(element("mrow", None, operator, printer._print(magnitude), *tail))
    for line in lines:
        _true_minus(line)
    return [_math(line, display=True) for line in lines]


def symbol_mathml(name: str) -> str:
    """A `<math>` element holding one quantity's symbol."""
    return _math(DerivationMathMLPrinter().symbol_node(name), display=False)


def displayed_mathml(value: Displayed, symbol: str | None = None, display: bool = False,
                     boxed: bool = False, column_vectors: bool = False) -> str:
    """A result as `<math>`: `D_new = [7.544 × 10^12 tokens]` (`boxed` adds a CSS box
    class: MathML Core has no `<menclose>`; `column_vectors` stacks a vector's entries,
    for a phone)."""
    printer = DerivationMathMLPrinter()
    printer.column_vectors = column_vectors
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
    row = printer.element("mrow", None, *_row(printer, math.nodes))
    return f'<math xmlns="{NAMESPACE}">{row.toxml()}</math>'


def _row(printer: DerivationMathMLPrinter, nodes: tuple[Node, ...] | list[Node]) -> list[Any]:
    """The nodes of a row, with TeX's thin space on each side of an operator name
    (`d ln D`: Ord, Op, Ord), none at the row's start or before an opening bracket.
    Why: MathML has no spacing classes for `<mi>ln</mi>`; without it `dlnD` ran together."""
    out: list[Any] = []
    for index, node in enumerate(nodes):
        is_function = node is not None and node.kind == "function"
        if is_function and index:
            out.append(_thin_space(printer.element))
        out.append(_mathml(printer, node))
        after = nodes[index + 1] if index + 1 < len(nodes) else None
        if is_function and after is not None and not (after.kind == "op"
                                                      and after.text in "([{"):
            out.append(_thin_space(printer.element))
    return out


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
        return element("mrow", None, *_row(printer, node.children))
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
