"""The LaTeX speller: sympy objects, rounded values and prose markup as LaTeX (and
sympy objects as plain text for terminals).

Following sympy's own design, each printer subclasses sympy's and overrides a few
`_print_<Class>` methods; nothing is done by editing printed strings afterwards.
Rounded values (`Digits`, `Shown`, `Displayed`) are spelled by the functions below, the
one place LaTeX writes `m \\times 10^{e}`.
"""

from __future__ import annotations

import unicodedata

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from derivations.library import QUANTITIES
from derivations.numbers import Digits, ascii_number, digits
from derivations.present.shown import Displayed, Shown, in_unit, shown_unit, unit_label
from derivations.present.texchars import replacement, tex_char
from derivations.sheet.mathtext import GREEK, Math, Node

SUBSTITUTION_SIG = 6  # digits shown for inexact values in substituted steps
LARGE_INTEGER = 10**9  # integer constants from here on print as 8.64e19

_LATEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                   "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                   "^": r"\textasciicircum{}"}


def escape_latex(text: str) -> str:
    """Make arbitrary prose safe to place in a LaTeX document as literal text.

    TeX's special characters print literally; other characters go through the
    measured table of `texchars` (Greek and math symbols as math, what the fonts
    have as is, anything else as a boxed code point), so no text can break a build.
    """
    if text.isascii() and text.isprintable():
        return "".join(_LATEX_SPECIALS.get(ch, ch) for ch in text)
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _LATEX_SPECIALS:
            out.append(_LATEX_SPECIALS[ch])
        elif ch < "\x7f":
            out.append(ch if ch.isprintable() else " ")
        else:
            mapped = tex_char(ch)
            out.append(mapped if mapped is not None else replacement(ch))
    return "".join(out)


def symbol_latex(name: str) -> str:
    """LaTeX for a symbol name: the library's spelling, else a readable default.

    A name of several letters is an identifier, not a product: it is set upright
    (`\\mathrm{plain}`), and what follows its first `_` is a subscript label
    (`extra_epochs` as extra with the subscript epochs), so no underscore is printed.
    """
    if name in QUANTITIES:
        return QUANTITIES[name].latex
    if "." in name:
        problem, local = name.split(".", 1)
        return rf"{symbol_latex(local)}^{{(\mathrm{{{escape_latex(problem)}}})}}"
    base, _, sub = name.partition("_")
    if base in _GREEK:
        head = f"\\{base}"
    elif len(base) == 1:
        head = base
    else:
        head = rf"\mathrm{{{escape_latex(base)}}}"
    if not sub:
        return head
    return rf"{head}_{{\text{{{escape_latex(sub.replace('_', ' '))}}}}}"


_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "rho",
          "sigma", "tau", "phi"}


def number_latex(value: sp.Expr, sig: int = SUBSTITUTION_SIG, plain: bool = False) -> str:
    """An exact value rounded to `sig` figures, spelled by `digits_latex`."""
    return digits_latex(digits(value, sig), plain)


# -- the LaTeX speller of rounded values (documents, `derive solve --format latex`) and
# of prose markup (feedback and notes: `$1.648 \times 10^{24}$ FLOP`, typeset by every
# output from `sheet.mathtext`)
def digits_latex(shown: Digits, plain: bool = False) -> str:
    """`\\num{6.7e10}` for siunitx, or (`plain`, for MathJax, which has no siunitx)
    `6.7 \\times 10^{10}`."""
    if not plain:
        return rf"\num{{{ascii_number(shown)}}}"
    return rf"{shown.mantissa} \times 10^{{{shown.exponent}}}" if shown.exponent \
        else shown.mantissa


def digits_markup(shown: Digits) -> str:
    """The number inside prose markup's `$...$`: `−1.648 \\times 10^{24}` (a true minus)."""
    number = shown.mantissa.replace("-", "−")
    return number + (f" \\times 10^{{{shown.exponent}}}" if shown.exponent else "")


def shown_latex(shown: Shown, plain: bool = False) -> str:
    """`\\num{3.5e11}~\\text{B}` (math mode)."""
    unit = shown_unit(shown)
    return digits_latex(shown.digits, plain) + (rf"~\text{{{escape_latex(unit)}}}" if unit
                                                 else "")


def shown_markup(shown: Shown) -> str:
    """`$1.648 \\times 10^{24}$ FLOP`: a value in prose markup."""
    unit = shown_unit(shown)
    return f"${digits_markup(shown.digits)}$" + (f" {unit}" if unit else "")


def displayed_latex(value: Displayed, plain: bool = False) -> str:
    """A result in math-mode LaTeX: values joined by `=`, a vector in parentheses, or
    `\\text{true}`."""
    if value.truth is not None:
        return r"\text{" + ("true" if value.truth else "false") + "}"
    if value.items:
        unit = unit_label(value.unit)
        shown = ",\\ ".join(shown_latex(item, plain) for item in value.items)
        tail = rf"~\text{{{escape_latex(unit)}}}" if unit else ""
        return rf"\left({shown}\right){tail}"
    return " = ".join(shown_latex(item, plain) for item in value.values)


def displayed_markup(value: Displayed) -> str:
    """The same as prose markup."""
    if value.truth is not None:
        return "true" if value.truth else "false"
    if value.items:
        shown = ", ".join(shown_markup(item) for item in value.items)
        return f"[{shown}] {unit_label(value.unit)}".rstrip()
    return " = ".join(shown_markup(item) for item in value.values)


class TextbookOrder:
    """Terms of a sum as a textbook writes them: `L − E − A/N^α`, not sympy's
    `−A/N^α − E + L`. Positive terms first, in sympy's order; then the subtracted
    ones, simplest first (by operation count, a stable sort). Shared by every printer
    (a mixin over sympy's `Printer._as_ordered_terms`), so all targets agree."""

    def _as_ordered_terms(self, expr: sp.Expr, order: str | None = None) -> list[sp.Expr]:
        terms = super()._as_ordered_terms(expr, order)  # type: ignore[misc]
        added = [t for t in terms if not t.could_extract_minus_sign()]
        if not added:
            return list(terms)
        subtracted = sorted((t for t in terms if t.could_extract_minus_sign()),
                            key=sp.count_ops)
        return added + subtracted


class DerivationLatexPrinter(TextbookOrder, LatexPrinter):
    """sympy's LaTeX printer with `\\cdot` products, library symbols and literals."""

    _default_settings = {**LatexPrinter._default_settings, "plain_numbers": False}

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__({"mul_symbol": "dot", "ln_notation": True, **(settings or {})})

    def parenthesize_super(self, s: str) -> str:
        """A base already in parentheses (a literal `6.7 \\times 10^{10}`) needs none more."""
        if s.startswith(r"\left(") and s.endswith(r"\right)"):
            return s
        return super().parenthesize_super(s)

    def _num(self, value: sp.Expr) -> str:
        return number_latex(value, plain=self._settings["plain_numbers"])

    def _helper_print_standard_power(self, expr: sp.Pow, template: str) -> str:
        """A fraction in an exponent written with a slash, `x^{1/β}`: sympy's
        `x^{\frac{1}{β}}` sets the fraction two sizes down, too small to read (issue
        24, E2.D_new). The base is bracketed as sympy does it."""
        from sympy.printing.precedence import PRECEDENCE

        numer, denom = sp.fraction(expr.exp)
        if denom == 1:
            return super()._helper_print_standard_power(expr, template)

        def part(term: sp.Expr) -> str:
            shown = self._print(term)
            simple = term.is_Atom or isinstance(term, sp.Symbol)
            return shown if simple else rf"\left({shown}\right)"

        base = self.parenthesize(expr.base, PRECEDENCE["Pow"])
        if expr.base.is_Symbol:
            base = self.parenthesize_super(base)
        return template % (base, f"{part(numer)}/{part(denom)}")

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        return symbol_latex(expr.name)

    def _print_Integer(self, expr: sp.Integer) -> str:
        return str(expr.p) if abs(expr) < LARGE_INTEGER else self._num(expr)

    def _print_Mul(self, expr: sp.Mul) -> str:
        """Negative powers as fractions: A/N^alpha, not A N^(-alpha)."""
        if expr.could_extract_minus_sign():
            inner = self._print(-expr)
            return "- " + (rf"\left({inner}\right)" if (-expr).is_Add else inner)
        numer, denom = sp.fraction(expr)
        if denom == 1 or denom.is_Number:
            return super()._print_Mul(expr)
        return rf"\frac{{{self._print(numer)}}}{{{self._print(denom)}}}"

    def _print_Literal(self, expr: sp.Symbol) -> str:
        if isinstance(expr.value, tuple):
            inner = ",\\ ".join(self._num(v) for v in expr.value)
            return rf"\left({inner}\right)"
        if expr.unit != "1":
            return shown_latex(in_unit(expr.value, expr.unit, SUBSTITUTION_SIG),
                               plain=self._settings["plain_numbers"])
        return self._num(expr.value)


class DerivationStrPrinter(TextbookOrder, StrPrinter):
    """Plain text: `C = 6*D*N`, with literals as `6.7e10` so precedence stays obvious."""

    def _print_Relational(self, expr: sp.Basic) -> str:
        op = "=" if expr.rel_op == "==" else expr.rel_op
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        (var, _), = expr.variable_count
        return f"d{self._print(expr.expr)}/d{self._print(var)}"

    def _print_Integer(self, expr: sp.Integer) -> str:
        return _short(expr) if abs(expr) >= LARGE_INTEGER else super()._print_Integer(expr)

    def _print_Min(self, expr: sp.Expr) -> str:
        """`min(...)`, as a sheet writes it (sympy spells its class name, `Min`)."""
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Max(self, expr: sp.Expr) -> str:
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Literal(self, expr: sp.Symbol) -> str:
        if isinstance(expr.value, tuple):
            return "[" + ", ".join(_short(v) for v in expr.value) + "]"
        if expr.unit != "1":
            shown = in_unit(expr.value, expr.unit, SUBSTITUTION_SIG)
            unit = shown_unit(shown)
            return _short_digits(shown.digits) + (f" {unit}" if unit else "")
        return _short(expr.value)


def _short(value: sp.Expr) -> str:
    return _short_digits(digits(value, SUBSTITUTION_SIG))


def _short_digits(shown: Digits) -> str:
    return f"{shown.mantissa}e{shown.exponent}" if shown.exponent else shown.mantissa


def latex(expr: sp.Basic, plain_numbers: bool = False) -> str:
    """LaTeX (math mode) for any expression, equation or relation of the engine."""
    return DerivationLatexPrinter({"plain_numbers": plain_numbers}).doprint(expr)


def text(expr: sp.Basic) -> str:
    """One-line plain text for any expression, equation or relation of the engine."""
    return DerivationStrPrinter().doprint(expr)


_REL_LATEX = {"==": "=", "<": "<", ">": ">", "<=": r"\le", ">=": r"\ge", "!=": r"\ne"}


def latex_aligned(expr: sp.Basic, plain_numbers: bool = False) -> str:
    """`lhs &= rhs` for an equation or relation (one row of an align block)."""
    if isinstance(expr, sp.core.relational.Relational):
        return (f"{latex(expr.lhs, plain_numbers)} &{_REL_LATEX[expr.rel_op]} "
                f"{latex(expr.rhs, plain_numbers)}")
    return f"&{latex(expr, plain_numbers)}"


def math_latex(math: Math) -> str:
    """LaTeX (math mode) for an inline formula of prose (`sheet.mathtext`), rebuilt
    from the parse: nothing a sheet wrote passes through."""
    return "".join(_latex(n) for n in math.nodes)


def _latex(node: Node | None) -> str:  # long: one case per kind
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
