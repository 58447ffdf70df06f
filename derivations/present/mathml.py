"""MathML for the engine's expressions: sympy's presentation printer, extended the way
the LaTeX printer is (one `_print_<Class>` per difference), never by editing markup.

Numbers are spelled by the project's own digits (`7.544 × 10^12`, minus as U+2212), so
HTML shows the same digits as the PDF and the terminal.
"""

from __future__ import annotations

import html
from typing import Any

import sympy as sp
from sympy.printing.mathml import MathMLPresentationPrinter

from derivations.numbers import digits
from derivations.present.printing import LARGE_INTEGER, SUBSTITUTION_SIG

_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η",
          "theta": "θ", "lambda": "λ", "mu": "μ", "rho": "ρ", "sigma": "σ", "tau": "τ",
          "phi": "φ"}


class DerivationMathMLPrinter(MathMLPresentationPrinter):
    """Presentation MathML with the library's symbol names and our number spelling."""

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__({"mul_symbol": "dot", "ln_notation": True, **(settings or {})})

    def _number(self, value: sp.Expr, sig: int = SUBSTITUTION_SIG) -> Any:
        shown = digits(value, sig)
        mantissa = self.dom.createElement("mn")
        mantissa.appendChild(self.dom.createTextNode(shown.mantissa.replace("-", "\u2212")))
        if not shown.exponent:
            return mantissa
        row = self.dom.createElement("mrow")
        times = self.dom.createElement("mo")
        times.appendChild(self.dom.createTextNode("×"))
        power = self.dom.createElement("msup")
        ten = self.dom.createElement("mn")
        ten.appendChild(self.dom.createTextNode("10"))
        exponent = self.dom.createElement("mn")
        exponent.appendChild(self.dom.createTextNode(str(shown.exponent).replace("-", "\u2212")))
        power.appendChild(ten)
        power.appendChild(exponent)
        for child in (mantissa, times, power):
            row.appendChild(child)
        return row

    def _print_Symbol(self, sym: sp.Symbol, style: str = "plain") -> Any:
        base, _, sub = sym.name.partition("_")
        ident = self.dom.createElement("mi")
        ident.appendChild(self.dom.createTextNode(_GREEK.get(base, base)))
        if not sub:
            return ident
        node = self.dom.createElement("msub")
        lower = self.dom.createElement("mi" if len(sub) == 1 else "mtext")
        lower.appendChild(self.dom.createTextNode(_GREEK.get(sub, sub)))
        node.appendChild(ident)
        node.appendChild(lower)
        return node

    def _print_Integer(self, expr: sp.Integer) -> Any:
        if abs(expr) < LARGE_INTEGER:
            return super()._print_Number(expr)
        return self._number(expr)

    def _print_Literal(self, expr: sp.Symbol) -> Any:
        if isinstance(expr.value, tuple):
            row = self.dom.createElement("mrow")
            for index, value in enumerate(expr.value):
                if index:
                    comma = self.dom.createElement("mo")
                    comma.appendChild(self.dom.createTextNode(","))
                    row.appendChild(comma)
                row.appendChild(self._number(value))
            return row
        return self._number(expr.value)


def mathml(expr: sp.Basic, display: bool = False) -> str:
    """A `<math>` element for any expression, equation or relation of the engine."""
    body = DerivationMathMLPrinter().doprint(expr)
    mode = ' display="block"' if display else ""
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{mode}>{body}</math>'


def text_html(text: str) -> str:
    """Prose for HTML: escaped, so no text becomes markup."""
    return html.escape(text, quote=True)
