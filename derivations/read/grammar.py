"""A grammar for the math of a write-up: chains of relations between expressions.

    claim      := chain (separator chain)*
    chain      := term (relation term)* aside*           relation: = ≈ →
    aside      := "(" relation term ")" | "(" value ")"   `(≈ 31.83 TB)`, `(54 GB)`
    term       := ["+"|"-"] product (("+"|"-") product)*
    product    := unary (("×"|"/"|juxtaposition) unary)*
    unary      := "-" unary | power
    power      := postfix ("^" exponent)?                 right-associative
    postfix    := atom prime* ("_" subscript)? prime* | atom "!"
    atom       := number | symbol | unit | (term) | {term} | \\frac{term}{term}
                | \\sqrt[n]{term} | function argument | name(symbol, ...)

The result is a small tree (`Num`, `Sym`, `Unit`, `Op`, `Label`) that `numbers`
evaluates and converts; nothing is evaluated here. Depth is bounded (`MAX_DEPTH`), so
deeply nested fractions are refused, not recursed into.
"""

from __future__ import annotations

from fractions import Fraction
from typing import cast

from derivations.read.cursor import Cursor
from derivations.read.nodes import Chain, Label, Node, Num, Op, Sym, Term, Unit
from derivations.read.tokens import ReadError, Token, tokenize

MAX_DEPTH = 24
def read_formula(source: str) -> list[Chain]:
    """The chains of one run of math; raises `ReadError` for what is not read."""
    return read_until_prose(source)[0]


def read_until_prose(source: str) -> tuple[list[Chain], int | None]:
    """The chains, and where prose starts after them (None: the math runs to the end)."""
    parser = _ChainParser(source, tokenize(source))
    chains = parser.claim()
    return chains, parser.stop


def read_expression(source: str, tokens: list[Token]) -> Node:
    """One expression made of all of `tokens` (an answer's value); `ReadError` when
    they do not form one."""
    if not tokens:
        raise ReadError("no value")
    parser = _ExpressionParser(source, tokens)
    node = parser.expr(0)
    if parser.i < len(tokens):
        token = tokens[parser.i]
        raise ReadError(f"unexpected {token.text!r}", token.at)
    return node


class _ExpressionParser(Cursor):
    """`term` and below: one expression (an answer's value is one)."""

    def expr(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ReadError(f"nested more than {MAX_DEPTH} deep",
                            self.peek().at if self.peek() else None)  # type: ignore
        terms: list[Node] = []
        sign = None
        if self.kind() == "op" and self.peek().text in "+-":  # type: ignore
            sign = self.take().text
        first = self.product(depth)
        terms.append(Op("neg", (first,)) if sign == "-" else first)
        while self.kind() == "op" and self.peek().text in "+-":  # type: ignore
            op = self.take().text
            nxt = self.product(depth)
            terms.append(Op("neg", (nxt,)) if op == "-" else nxt)
        return terms[0] if len(terms) == 1 else Op("add", tuple(terms))

    def product(self, depth: int) -> Node:
        factors: list[Node] = _flat(self.scientific(self.unary(depth)))
        while True:
            kind = self.kind()
            if kind == "op" and self.peek().text in "*/":  # type: ignore
                op = self.take().text
                right = self.scientific(self.unary(depth))
                if op == "/":  # `a / 2.496 × 10^15` divides by the whole figure
                    factors.append(Op("div", (factors.pop(), right)))
                else:
                    factors.extend(_flat(right))
                continue
            if kind == "pct":
                self.take()
                factors.append(Op("pct"))
                continue
            if kind == "lp" and (self.kind(1) == "rel" or (
                    isinstance(factors[-1], Unit) and self.is_value_aside())):
                break  # `bytes (≈ 326 GB)`, `bytes (54 GB)`: an aside, not a factor
            if kind == "lp" and self.remark_ahead():
                continue
            if kind in ("num", "sym", "lp", "lb", "frac", "sqrt", "fn", "unit", "lbrack",
                        "label") or (kind == "round" and self.peek().value == "l"):  # type: ignore
                if kind == "num" and self.tokens[self.i - 1].kind == "num":
                    raise ReadError("two numbers side by side (a missing × or a space "
                                    "inside a number?)", self.peek().at)  # type: ignore
                factors.append(self.unary(depth))
                continue
            if kind == "font":
                self.take()
                continue
            break
        return factors[0] if len(factors) == 1 else Op("mul", tuple(factors))

    def scientific(self, node: Node) -> Node:
        """`9.36 × 10^{14}`: a figure in scientific notation is one number, so
        `9.36 × 10^{14} / 2.496 × 10^{15}` divides by 2.496 × 10^15 (never by 2.496
        alone, then times 10^15)."""
        if not (isinstance(node, Num) and self.kind() == "op" and
                self.peek().text == "*" and self.kind(1) == "num" and  # type: ignore
                self.peek(1).text == "10" and self.kind(2) == "pow"):  # type: ignore
            return node
        start = self.i
        self.take()
        power = self.power(0)
        if isinstance(power, Op) and power.kind == "pow" and _whole(power.args[1]):
            return Op("mul", (node, power))
        self.i = start
        return node

    def unary(self, depth: int) -> Node:
        if self.kind() == "op" and self.peek().text == "-":  # type: ignore
            self.take()
            return Op("neg", (self.unary(depth + 1),))
        if self.kind() == "op" and self.peek().text == "+":  # type: ignore
            self.take()
        return self.power(depth)

    def power(self, depth: int) -> Node:
        base = self.postfix(depth)
        if self.kind() == "pow":
            self.take()
            if self.kind() in ("prime",):
                raise ReadError("a prime after ^", self.peek().at)  # type: ignore
            exponent = self.exponent(depth + 1)
            return Op("pow", (base, exponent))
        return base

    def exponent(self, depth: int) -> Node:
        kind = self.kind()
        if kind == "lb":
            self.take()
            node = self.expr(depth + 1)
            self.take("rb")
        elif kind == "op" and self.peek().text == "-":  # type: ignore
            self.take()
            node = Op("neg", (self.exponent(depth + 1),))
        elif kind == "op" and self.peek().text == "+":  # type: ignore  # `10^+24`
            self.take()
            node = self.exponent(depth + 1)
        elif kind in ("num", "sym", "lp"):
            node = self.atom(depth + 1)
        else:
            raise ReadError("an exponent that is not read",
                            self.peek().at if self.peek() else None)  # type: ignore
        if self.kind() == "pow":  # 10^{10^{10}} and x^y^z: right-associative
            self.take()
            node = Op("pow", (node, self.exponent(depth + 1)))
        return node

    def postfix(self, depth: int) -> Node:
        atom = self.atom(depth)
        if not isinstance(atom, Sym):
            if self.kind() == "fact":  # `170!`
                self.take()
                return Op("fact", (atom,))
            return atom
        name = atom.name
        primes = ""
        while True:
            if self.kind() == "prime":
                self.take()
                primes += "'"
            elif self.kind() == "pow" and self.kind(1) == "lb" and self.kind(2) == "prime":
                self.i += 3
                while self.kind() == "prime":
                    self.take()
                    primes += "'"
                primes += "'"
                self.take("rb")
            elif self.kind() == "sub" and "_" not in name:
                self.take()
                name += "_" + self.subscript()
            else:
                break
        if self.kind() == "lp" and self.label_ahead():
            self.skip_group()
            return Label(name + primes)
        return Sym(name + primes)

    def subscript(self) -> str:
        if self.kind() != "lb":
            token = self.take()
            if token.kind not in ("sym", "num", "word", "label"):
                raise ReadError("a subscript that is not read", token.at)
            return token.text
        self.take("lb")
        parts = []
        while self.kind() not in ("rb", "end"):
            token = self.take()
            if token.kind in ("sym", "num", "word", "unit", "label"):
                parts.append(str(token.value) if token.kind == "sym" else token.text)
            elif token.kind == "op" and token.text == "-":
                parts.append("_")
            elif token.kind not in ("font", "sep"):
                raise ReadError("a subscript that is not read", token.at)
        self.take("rb")
        if not parts:
            raise ReadError("an empty subscript")
        return "".join(parts)

    def atom(self, depth: int) -> Node:  # long: one case per kind of atom
        if depth > MAX_DEPTH:
            raise ReadError(f"nested more than {MAX_DEPTH} deep",
                            self.peek().at if self.peek() else None)  # type: ignore
        token = self.take()
        while token.kind == "font":  # {\rm bytes}
            token = self.take()
        kind = token.kind
        if kind == "num":
            value, half, alternative = cast(tuple[Fraction, Fraction, Fraction | None],
                                            token.value)
            return Num(value, token.text, half, alternative)
        if kind == "sym":
            return Sym(str(token.value))
        if kind == "unit":
            if token.value is None:
                raise ReadError(f"the unit {token.text!r} is not read", token.at)
            unit, factor, unit_kind = cast(tuple[str, Fraction, str], token.value)
            if self.kind() == "lp" and self.label_ahead():
                self.skip_group()
                return Label(token.text)
            return Unit(token.text, unit, factor, unit_kind)
        if kind in ("lp", "lb", "lbrack"):
            closing = {"lp": "rp", "lb": "rb", "lbrack": "rbrack"}[kind]
            node = self.expr(depth + 1)
            if self.kind() != closing:
                raise ReadError(f"unbalanced {token.text!r}", token.at)
            self.take()
            return node
        if kind == "frac":
            return Op("div", (self.braced(depth), self.braced(depth)))
        if kind == "round" and token.value == "l":  # `\\lceil x \\rceil`, `⌊x⌋`
            inner = self.expr(depth + 1)
            close = self.take("round")
            if close.value != "r" or close.text != token.text:
                raise ReadError(f"unbalanced {token.text}", token.at)
            return Op(str(token.text), (inner,))
        if kind == "sqrt":
            if self.kind() == "lbrack":
                self.take()
                index = self.expr(depth + 1)
                self.take("rbrack")
                return Op("root", (self.braced_or_atom(depth), index))
            return Op("sqrt", (self.braced_or_atom(depth),))
        if kind == "fn":
            return self.function(str(token.value), token, depth)
        if kind == "word" and self.kind() == "lp" and self.label_ahead():
            self.skip_group()
            return Label(token.text)
        if kind == "label":
            return Label(token.text)
        raise ReadError(f"expected a number or a symbol, found {token.text!r}", token.at)

    def braced(self, depth: int) -> Node:
        if self.kind() != "lb":
            return self.atom(depth + 1)  # \frac12
        self.take("lb")
        node = self.expr(depth + 1)
        self.take("rb")
        return node

    def braced_or_atom(self, depth: int) -> Node:
        return self.braced(depth) if self.kind() == "lb" else self.postfix(depth + 1)

    def function(self, name: str, token: Token, depth: int) -> Node:
        base: Fraction | None = {"lg": Fraction(10), "log2": Fraction(2),
                                 "log10": Fraction(10)}.get(name)
        if name == "log" and self.kind() == "sub":
            self.take()
            if self.kind() == "lb":
                self.take()
                number = self.take("num")
                self.take("rb")
            else:
                number = self.take("num")
            base = number.value[0]  # type: ignore[index]
        elif name == "log" and self.kind() == "num" and self.tokens[self.i].at == token.end:
            base = self.take().value[0]  # type: ignore[index]
        if self.kind() == "pow":
            raise ReadError(f"a power of \\{name} (write (\\{name} x)^2)", token.at)
        argument = self.power(depth + 1)
        if name in ("sqrt", "ceil", "floor", "round"):
            return Op(name, (argument,))
        if name == "exp":
            return Op("exp", (argument,))
        return Op("log", (argument,), base)


class _ChainParser(_ExpressionParser):
    """`claim` and `chain`: relations between expressions, asides and lists of names."""

    def __init__(self, source: str, tokens: list[Token]) -> None:
        super().__init__(source, tokens)
        self.stop: int | None = None  # where prose after the math starts

    def claim(self) -> list[Chain]:
        chains: list[Chain] = []
        tag = ""
        while self.kind() != "end":
            if self.kind() == "tag":
                tag = self.take().text
                continue
            if self.kind() in ("sep", "font"):
                self.i += 1
                continue
            if self.kind() == "word":
                self.stop = self.tokens[self.i].at
                break  # prose after the math: not part of it
            if self.remark_ahead():
                continue
            if self.kind() == "lp" and self.kind(1) == "rel" and chains:
                self.aside(chains[-1])
                continue
            if self.kind() == "lp" and chains and self.is_value_aside():
                self.aside(chains[-1])
                continue
            listed = self.name_list()
            if listed:
                chains.extend(listed)
                continue
            if self.kind() == "rel" and not chains:
                self.take()  # `memory $= 2 \times N$`: the left side is prose, not read
                continue
            if self.kind() == "rel" and chains:
                chain = chains[-1]  # `\quad = 5`, `\\ &= 5`: the chain goes on
            else:
                chain = Chain()
                chain.terms.append(self.term())
                chains.append(chain)
            self.links(chain)
        if tag and chains:
            chains[-1].tag = tag
        return chains

    def name_list(self) -> list[Chain]:
        """`E, A, B = 1.69, 406.4, 410.7`: names paired with values in order (one
        chain each); [] (and nothing read) when the tokens are not such a list."""
        start = self.i
        if self.kind() != "sym" or self.kind(1) != "sep" or self.peek(1).text != ",":  # type: ignore
            return []
        names: list[Term] = []
        try:
            while True:
                first = self.i
                node = self.postfix(0)
                if not isinstance(node, Sym):
                    raise ReadError("not a name")
                names.append(Term(node, self.text_from(first)))
                if self.kind() == "sep" and self.peek().text == ",":  # type: ignore
                    self.take()
                    continue
                break
            relation = str(self.take("rel").value)
            values = [self.term()]
            while len(values) < len(names) and self.kind() == "sep" and \
                    self.peek().text == ",":  # type: ignore
                self.take()
                values.append(self.term())
        except ReadError:
            self.i = start
            return []
        if len(values) != len(names) or self.kind() == "rel":
            self.i = start
            return []
        return [Chain([name, value], [relation]) for name, value in zip(names, values,
                                                                         strict=True)]

    def links(self, chain: Chain) -> None:
        while self.kind() == "rel":
            chain.relations.append(str(self.take().value))
            while self.kind() in ("sep", "font") and self.peek() and \
                    self.peek().text in ("\\", "newline", "quad", "qquad"):  # type: ignore
                self.i += 1
            chain.terms.append(self.term())
            while self.kind() == "lp" and self.kind(1) == "rel":
                self.aside(chain)
        while self.kind() == "tag":
            chain.tag = self.take().text

    def aside(self, chain: Chain) -> None:
        self.take("lp")
        relation = str(self.take().value) if self.kind() == "rel" else "≈"
        term = self.term()
        self.take("rp")
        chain.asides.append((len(chain.terms) - 1, relation, term))

    def term(self) -> Term:
        start = self.i
        if self.kind() in ("end", "rel", "rp", "rb", "sep"):
            where = self.peek().at if self.peek() else len(self.source)  # type: ignore
            raise ReadError("a relation with nothing on one side", where)
        node = self.expr(0)
        return Term(node, self.text_from(start))


def _flat(node: Node) -> list[Node]:
    """The factors of a figure in scientific notation (`9.36`, `10^14`), or [node]:
    kept flat in a product, so the figure reads as written (`written_value`)."""
    if isinstance(node, Op) and node.kind == "mul" and len(node.args) == 2 and \
            isinstance(node.args[0], Num) and isinstance(node.args[1], Op) and \
            node.args[1].kind == "pow":
        return list(node.args)
    return [node]


def _whole(node: Node) -> bool:
    """A whole number, or minus one: the exponent of a power of ten in a figure."""
    if isinstance(node, Op) and node.kind == "neg":
        node = node.args[0]
    return isinstance(node, Num) and node.value.denominator == 1
