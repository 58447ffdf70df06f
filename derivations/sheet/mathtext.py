"""Inline math in prose: `$M_w$`, `$n_\\mathrm{ctx}$`, `$10^{-1}$`, `$6ND$`.

Why `$...$`: instructors already write it, and it covers symbols and numbers alike; a
name the library knows (`$M_w$`, `$d_model$`, `$n_ctx$`) is typeset from the library's
own spelling, so prose and formulas show a quantity the same way.

Only a small subset of LaTeX math is accepted, read by a grammar (never passed to TeX
as written): letters and digits, `_` and `^` with a character or a `{...}` group,
`+ - = < > ( ) [ ] , . / | : ! ' *`, `\\times \\cdot \\approx \\le \\ge \\ne \\to
\\infty \\ln \\log \\exp \\max \\min \\sum`, Greek letters, `\\frac{..}{..}`, `\\sqrt{..}`,
`\\text{..}` and `\\mathrm{..}`. Anything else (`\\input`, `\\def`, an unbalanced
brace, a long or deeply nested formula) is refused with a message.

This module reads formulas (the sheet stage, so a sheet's prose is checked when it is
read) and spells them as Unicode for terminals, JSON and CSV (`M_w`, `10⁻¹`, `×`);
`present.printing` spells them as LaTeX for PDFs, `present.mathml` as MathML for pages
and LMS feedback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from derivations.errors import MathError

MAX_LENGTH = 300
MAX_DEPTH = 8
GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ",
         "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "kappa": "κ",
         "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "rho": "ρ", "sigma": "σ",
         "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
         "pi": "π", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Sigma": "Σ",
         "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω"}
SYMBOLS = {"times": "×", "cdot": "·", "approx": "≈", "le": "≤", "ge": "≥", "ne": "≠",
           "to": "→", "infty": "∞", "pm": "±"}
FUNCTIONS = ("ln", "log", "exp", "max", "min", "sum")
OPERATORS = set("+-=<>()[],./|:!'*\u2212×·")
_SUPERSCRIPT = str.maketrans("0123456789-\u2212+()abcdefghijklmnoprstuvwxyzαβ",
                             "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻⁺⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵅᵝ")
_RAISED = set("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵅᵝ")
_SUBSCRIPT = str.maketrans("0123456789-\u2212+()", "₀₁₂₃₄₅₆₇₈₉₋₋₊₍₎")





@dataclass(frozen=True)
class Node:
    """A piece of a formula: `kind` is name, number, op, text, symbol, function,
    group, script (base, sub, sup), frac, sqrt or quantity (a library name)."""

    kind: str
    text: str = ""
    children: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Math:
    """An inline formula of prose, parsed."""

    source: str
    nodes: tuple[Node, ...]

    def unicode(self) -> str:
        out, previous = [], None
        for node in self.nodes:
            unary = node.kind == "op" and node.text == "−" and (
                previous is None or previous.kind in ("op", "symbol"))
            out.append("−" if unary else _unicode(node))
            previous = node
        return " ".join("".join(out).split())


def parse(source: str) -> Math:
    """The formula between two `$` (without them)."""
    if len(source) > MAX_LENGTH:
        raise MathError(f"a formula of {len(source)} characters (at most {MAX_LENGTH})")
    parser = _Parser(source)
    nodes = parser.sequence(0)
    if parser.at < len(source):
        raise MathError(f"unbalanced '}}' in ${source}$")
    return Math(source, tuple(_quantities(nodes)))


class _Parser:
    def __init__(self, source: str) -> None:
        self.source, self.at = source, 0

    def peek(self) -> str:
        return self.source[self.at] if self.at < len(self.source) else ""

    def sequence(self, depth: int) -> list[Node]:
        if depth > MAX_DEPTH:
            raise MathError(f"a formula nested more than {MAX_DEPTH} deep")
        nodes: list[Node] = []
        while self.at < len(self.source) and self.peek() != "}":
            if self.peek() in "_^":
                if not nodes:
                    raise MathError(f"'{self.peek()}' with nothing before it in "
                                    f"${self.source}$")
                named = self.library_name(nodes[-1])
                nodes.append(named if named is not None else self.script(nodes.pop(), depth))
                if named is not None:
                    nodes.pop(-2)
                continue
            node = self.atom(depth)
            if node is None:
                continue
            unary = (nodes and nodes[-1].kind == "op" and nodes[-1].text == "−"
                     and (len(nodes) == 1 or nodes[-2].kind in ("op", "symbol")))
            if unary and node.kind == "number":  # −65.8 after "=": a negative number
                nodes[-1] = Node("number", "−" + node.text)
                continue
            nodes.append(node)
        return nodes

    def library_name(self, base: Node) -> Node | None:
        """`d_model`, `n_ctx`, `M_w` written plainly: the whole name of a library
        quantity, taken at once (else `d_m` would subscript only the `m`)."""
        from derivations.library import QUANTITIES

        if base.kind != "name" or self.peek() != "_":
            return None
        match = re.compile(r"_([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)").match(self.source, self.at)
        if match is None or f"{base.text}_{match.group(1)}" not in QUANTITIES:
            return None
        self.at = match.end()
        return Node("quantity", f"{base.text}_{match.group(1)}")

    def script(self, base: Node, depth: int) -> Node:
        sub = sup = None
        while self.peek() in ("_", "^") and self.peek():
            mark = self.peek()
            self.at += 1
            argument = self.label() if mark == "_" else None
            argument = argument or self.argument(depth)
            if mark == "_":
                sub = argument
            else:
                sup = argument
        return Node("script", children=(base, sub, sup))

    def label(self) -> Node | None:
        """`D_new`: a subscript word is a label, set upright as a whole (write `x_{ab}`
        for a product of letters in a subscript)."""
        match = re.compile(r"[A-Za-z][A-Za-z0-9]+").match(self.source, self.at)
        if match is None:
            return None
        self.at = match.end()
        return Node("text", match.group(0))

    def argument(self, depth: int) -> Node:
        if self.peek() == "{":
            return self.group(depth)
        node = self.atom(depth, single=True)
        if node is None:
            raise MathError(f"'_' or '^' without an argument in ${self.source}$")
        return node

    def group(self, depth: int) -> Node:
        self.at += 1
        nodes = self.sequence(depth + 1)
        if self.peek() != "}":
            raise MathError(f"unbalanced '{{' in ${self.source}$")
        self.at += 1
        return Node("group", children=tuple(nodes))

    def braced_text(self) -> str:
        if self.peek() != "{":
            raise MathError(f"expected {{...}} after a command in ${self.source}$")
        end = self.source.find("}", self.at)
        if end < 0 or "{" in self.source[self.at + 1:end]:
            raise MathError(f"unbalanced '{{' in ${self.source}$")
        text = self.source[self.at + 1:end]
        self.at = end + 1
        return text

    def atom(self, depth: int, single: bool = False) -> Node | None:  # long: one grammar rule
        ch = self.peek()
        if ch == "{":
            return self.group(depth)
        if ch == "\\":
            return self.command(depth)
        if ch.isspace():
            self.at += 1
            return None
        if ch.isdigit() or (ch == "." and self.source[self.at + 1:self.at + 2].isdigit()):
            match = re.compile(r"\d" if single else r"\d*\.?\d+").match(self.source, self.at)
            assert match is not None
            self.at = match.end()
            return Node("number", match.group(0))
        if ch.isalpha() and ch.isascii():
            match = re.compile(r"[A-Za-z]" if single else r"[A-Za-z]+").match(self.source,
                                                                             self.at)
            assert match is not None
            self.at = match.end()
            return Node("name", match.group(0))
        if ch in OPERATORS:
            self.at += 1
            if ch in "×·":
                return Node("symbol", "times" if ch == "×" else "cdot")
            return Node("op", "−" if ch == "-" else ch)
        raise MathError(f"{ch!r} is not allowed in a formula (in ${self.source}$)")

    def command(self, depth: int) -> Node:
        match = re.compile(r"\\([A-Za-z]+|[,;! ])").match(self.source, self.at)
        if match is None:
            raise MathError(f"a lone backslash in ${self.source}$")
        self.at = match.end()
        name = match.group(1)
        if name in (",", ";", "!", " "):
            return Node("op", " ")
        if name in ("text", "mathrm"):
            text = self.braced_text()
            if not re.fullmatch(r"[A-Za-z0-9 .,:/%()'-]*", text):
                raise MathError(f"\\{name}{{{text}}}: only letters, digits and simple "
                                "punctuation")
            return Node("text", text)
        if name in GREEK:
            return Node("name", GREEK[name])
        if name in SYMBOLS:
            return Node("symbol", name)
        if name in FUNCTIONS:
            return Node("function", name)
        if name == "frac":
            return Node("frac", children=(self.group_or_fail(depth), self.group_or_fail(depth)))
        if name == "sqrt":
            return Node("sqrt", children=(self.group_or_fail(depth),))
        raise MathError(f"\\{name} is not allowed in a formula (in ${self.source}$)")

    def group_or_fail(self, depth: int) -> Node:
        if self.peek() != "{":
            raise MathError(f"expected {{...}} in ${self.source}$")
        return self.group(depth)


def _quantities(nodes: list[Node]) -> list[Node]:
    """`M_w`, `d_model`, `n_ctx`: a name, `_`, letters that together name a library
    quantity become that quantity (typeset from the library's spelling)."""
    from derivations.library import QUANTITIES

    found = []
    for node in nodes:
        if node.kind == "script":
            base, sub, sup = node.children
            name = _flat_name(base, sub)
            if name in QUANTITIES and sup is None:
                node = Node("quantity", name)
            elif name in QUANTITIES:
                node = Node("script", children=(Node("quantity", name), None, sup))
        elif node.kind == "name" and node.text in QUANTITIES and len(node.text) > 1:
            node = Node("quantity", node.text)
        found.append(node)
    return found


def _flat_name(base: Node, sub: Node | None) -> str:
    if base.kind != "name" or sub is None:
        return ""
    parts = [sub] if sub.kind != "group" else list(sub.children)
    if not all(p.kind in ("name", "number") for p in parts):
        return ""
    return base.text + "_" + "".join(p.text for p in parts)


def _unicode(node: Node | None) -> str:  # long: one case per kind
    if node is None:
        return ""
    if node.kind in ("name", "number", "text"):
        return node.text
    if node.kind == "op":
        return {"=": " = ", "<": " < ", ">": " > ", "+": " + ", "−": " − "}.get(node.text,
                                                                              node.text)
    if node.kind == "symbol":
        return f" {SYMBOLS[node.text]} " if node.text not in ("cdot",) else SYMBOLS["cdot"]
    if node.kind == "function":
        return f" {node.text} "
    if node.kind == "quantity":
        return node.text
    if node.kind == "group":
        return "".join(_unicode(n) for n in node.children)
    if node.kind == "frac":
        top, bottom = (_unicode(n) for n in node.children)
        return f"{_wrap(top)}/{_wrap(bottom)}"
    if node.kind == "sqrt":
        return f"√{_wrap(_unicode(node.children[0]))}"
    base, sub, sup = node.children
    text = _unicode(base).strip() if base is not None and base.kind == "function" \
        else _unicode(base)
    if sub is not None:
        lower = _unicode(sub).strip()
        small = lower.translate(_SUBSCRIPT)
        text += small if small != lower or not lower else f"_{_wrap(lower)}"
    if sup is not None:
        upper = _unicode(sup).strip().replace(" ", "")
        if upper in ("*", "′", "'"):  # R_D^*, x^′: marks read as they are
            return text + upper
        raised = upper.translate(_SUPERSCRIPT)
        text += raised if all(c in _RAISED for c in raised) else f"^{_wrap(upper)}"
    return text


def _wrap(text: str) -> str:
    """Brackets around a fraction's part or an exponent unless it is one word or one
    number (`6.48/8.2`, `x^0.34`, but `(2 × 4.1)`)."""
    text = text.strip()
    simple = text.isalnum() or text.replace(".", "", 1).replace(",", "").isdigit()
    return text if len(text) <= 1 or simple else f"({text})"


_DOLLAR = re.compile(r"(?<!\\)\$")


def with_math(text: str) -> list[str | Math]:
    """`text` split at its `$...$` formulas (`\\$` is a dollar sign).

    Raises:
        MathError: an unpaired `$` or a formula outside the accepted subset.
    """
    pieces = _DOLLAR.split(text)
    if len(pieces) % 2 == 0:
        raise MathError("an unpaired '$' (write \\$ for a dollar sign)")
    found: list[str | Math] = []
    for index, piece in enumerate(pieces):
        if index % 2:
            found.append(parse(piece))
        elif piece:
            found.append(piece.replace("\\$", "$"))
    return found
