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
    return Markup(mathml(value.expr, display=value.aligned))


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
    printer = DerivationMathMLPrinter()
    row = printer.element("mrow", None)
    for index, (name, number) in enumerate(value.inputs):
        if index:
            row.appendChild(printer.element("mo", ","))
        row.appendChild(printer.symbol_node(name))
        row.appendChild(printer.element("mo", "="))
        row.appendChild(printer.digits_node(digits(number, value.sig)))
    row.appendChild(printer.element("mo", "⇒"))
    row.appendChild(printer.symbol_node(value.lhs))
    row.appendChild(printer.element("mo", "="))
    row.appendChild(printer.shown_node(value.result))
    return Markup(f'<math xmlns="http://www.w3.org/1998/Math/MathML">{row.toxml()}</math>')


def result_html(symbol: Symbol, value: Displayed) -> Markup:
    """The boxed last line of an answer: `D_new = [7.544 × 10^12 tokens]`."""
    return Markup(displayed_mathml(value, symbol.name, display=True, boxed=True))


def svg_number(shown: Digits) -> Markup:
    """An axis label in SVG text: `2.5×10` with the exponent raised (`10` alone for 1×)."""
    if not shown.exponent:
        return escape(text(shown).replace("-", "\u2212"))
    mantissa = "" if shown.mantissa == "1" else f"{shown.mantissa}×"
    exponent = str(shown.exponent).replace("-", "\u2212")
    return (escape(mantissa.replace("-", "\u2212")) + Markup("10<tspan dy=\"-0.5em\" "
            "font-size=\"75%\">") + escape(exponent) + Markup("</tspan>"))
