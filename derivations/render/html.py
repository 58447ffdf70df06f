"""The HTML writer of the view: each piece of `present.view` spelled as HTML.

The twin of `render.latex`. HTML templates print view objects directly (`{{ a.result }}`);
the environment's finalize hook sends them here. Math becomes native MathML (sympy's
presentation printer, extended in `present.mathml`), numbers keep the digits the view
rounded once, and prose is escaped (Jinja's autoescape, plus `Markup.escape` here), so
no text from a sheet can become markup.
"""

from __future__ import annotations

from functools import singledispatch
from typing import Any

from markupsafe import Markup, escape

from derivations.numbers import Digits, digits, text
from derivations.present.mathml import (
    DerivationMathMLPrinter,
    displayed_mathml,
    math_mathml,
    mathml,
    mathml_lines,
    symbol_mathml,
)
from derivations.present.prose import Prose
from derivations.present.shown import Displayed
from derivations.present.view import Equation, Example, GivenValue, Symbol
from derivations.sheet.mathtext import Math


@singledispatch
def to_html(value: Any) -> Markup:
    """Prose and numbers: escaped, so they print literally."""
    if value is None:
        return Markup("")
    return escape(str(value))


@to_html.register
def _(value: Markup) -> Markup:
    return value


@to_html.register
def _(value: Equation) -> Markup:
    """The equation, and for a long one also its lines for a phone (the page shows one
    or the other by a media query): cut at the screen's edge, `+ 1.69` read `+ 1.6`."""
    whole = Markup(mathml(value.expr, display=value.aligned))
    lines = mathml_lines(value.expr)
    if lines is None:
        return whole
    return _wide_or_lines(whole, [Markup(line) for line in lines])


def _wide_or_lines(whole: Markup, lines: list[Markup]) -> Markup:
    return (Markup('<span class="eq-wide">') + whole + Markup('</span><span class="eq-lines">')
            + Markup(" ").join(lines) + Markup("</span>"))


@to_html.register
def _(value: Symbol) -> Markup:
    return Markup(symbol_mathml(value.name))


@to_html.register
def _(value: Displayed) -> Markup:
    return Markup(displayed_mathml(value))


@to_html.register
def _(value: Prose) -> Markup:
    return Markup("").join(escape(part) if isinstance(part, str)
                           else Markup(math_mathml(part)) if isinstance(part, Math)
                           else Markup(displayed_mathml(part)) for part in value.parts)


@to_html.register
def _(value: GivenValue) -> Markup:
    shown = Markup(displayed_mathml(value.shown))
    if value.label:
        return escape(value.label) + Markup(": ") + shown
    return shown


@to_html.register
def _(value: Example) -> Markup:
    """One `<math>` per input and one for the result, joined by text: a line of prose
    that wraps between them on a phone (one long `<math>` would be cut at the edge)."""
    printer = DerivationMathMLPrinter()

    def piece(*nodes: Any) -> str:
        row = printer.element("mrow", None, *nodes)
        return f'<math xmlns="http://www.w3.org/1998/Math/MathML">{row.toxml()}</math>'

    inputs = [piece(printer.symbol_node(name), printer.element("mo", "="),
                    printer.digits_node(digits(number, value.sig)))
              for name, number in value.inputs]
    result = piece(printer.element("mo", "⇒"), printer.symbol_node(value.lhs),
                   printer.element("mo", "="), printer.shown_node(value.result))
    return Markup(", ".join(inputs) + " " + result)


def result_html(symbol: Symbol, value: Displayed) -> Markup:
    """The boxed last line of an answer: `D_new = [7.544 × 10^12 tokens]`; a vector also
    as a column, which a phone shows instead."""
    whole = Markup(displayed_mathml(value, symbol.name, display=True, boxed=True))
    if not value.items:
        return whole
    return _wide_or_lines(whole, [Markup(displayed_mathml(value, symbol.name, display=True,
                                                          boxed=True, column_vectors=True))])


def svg_number(shown: Digits) -> Markup:
    """An axis label in SVG text: `2.5×10` with the exponent raised (`10` alone for 1×)."""
    if not shown.exponent:
        return escape(text(shown).replace("-", "\u2212"))
    mantissa = "" if shown.mantissa == "1" else f"{shown.mantissa}×"
    exponent = str(shown.exponent).replace("-", "\u2212")
    return (escape(mantissa.replace("-", "\u2212")) + Markup("10<tspan dy=\"-0.5em\" "
            "font-size=\"75%\">") + escape(exponent) + Markup("</tspan>"))
