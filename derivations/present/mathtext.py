"""Inline formulas of prose (`sheet.mathtext`) spelled as LaTeX and as MathML.

LaTeX is rebuilt from the parse (nothing a sheet wrote passes through), MathML is built
as DOM nodes by the project's MathML printer, so a library quantity looks the same in
prose as in the formulas.
"""

from __future__ import annotations

from typing import Any

from derivations.sheet.mathtext import GREEK, SYMBOLS, Math, Node


def latex(math: Math) -> str:
    """LaTeX for the formula (math mode), rebuilt from the parse: nothing passes through."""
    return "".join(_latex(n) for n in math.nodes)


def _latex(node: Node | None) -> str:  # long: one case per kind
    from derivations.library import QUANTITIES
    from derivations.present.printing import escape_latex

    if node is None:
        return ""
    if node.kind == "name":
        inverse = {v: k for k, v in GREEK.items()}
        return f"\\{inverse[node.text]} " if node.text in inverse else node.text
    if node.kind == "number":
        return node.text.replace("−", "-")  # TeX's math minus from an ASCII hyphen
    if node.kind == "text":
        return f"\\mathrm{{{escape_latex(node.text)}}}"
    if node.kind == "op":
        return {"−": "-", " ": "\\,", "|": "\\vert ", "*": "\\ast "}.get(node.text, node.text)
    if node.kind == "symbol":
        return f"\\{node.text} "
    if node.kind == "function":
        return f"\\{node.text} "
    if node.kind == "quantity":
        return "{" + QUANTITIES[node.text].latex + "}"
    if node.kind == "group":
        return "{" + "".join(_latex(n) for n in node.children) + "}"
    if node.kind == "frac":
        top, bottom = node.children
        return f"\\frac{_latex(top)}{_latex(bottom)}"
    if node.kind == "sqrt":
        return f"\\sqrt{_latex(node.children[0])}"
    base, sub, sup = node.children
    text = "{" + _latex(base) + "}"
    if sub is not None:
        text += "_{" + _latex(sub) + "}"
    if sup is not None:
        text += "^{" + _latex(sup) + "}"
    return text


def mathml(math: Math) -> str:
    """A `<math>` element for the formula, built as DOM nodes by our MathML printer."""
    from derivations.present.mathml import NAMESPACE, DerivationMathMLPrinter

    printer = DerivationMathMLPrinter()
    row = printer.element("mrow", None, *[_mathml(printer, n) for n in math.nodes])
    return f'<math xmlns="{NAMESPACE}">{row.toxml()}</math>'


def _mathml(printer: Any, node: Node | None) -> Any:  # long: one case per kind
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
