"""A position in the tokens of one run of math (`read.grammar` parses from it).

Besides stepping through the tokens, the cursor answers the grammar's lookahead
questions: is a parenthesis a remark in words, a restated value with a unit, or the
argument list of a label such as `L(N, D)`? Lookahead reads tokens, never the text
again, and one formula is at most `tokens.MAX_FORMULA` characters.
"""

from __future__ import annotations

from derivations.read.tokens import ReadError, Token


class Cursor:
    """A position in the tokens of one run of math, with the lookaheads both levels of
    the grammar use."""

    def __init__(self, source: str, tokens: list[Token]) -> None:
        self.source, self.tokens, self.i = source, tokens, 0

    # -- helpers ---------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def kind(self, ahead: int = 0) -> str:
        token = self.peek(ahead)
        return token.kind if token else "end"

    def take(self, kind: str | None = None) -> Token:
        token = self.peek()
        if token is None or (kind is not None and token.kind != kind):
            where = token.at if token else len(self.source)
            found = repr(token.text) if token else "the end"
            raise ReadError(f"expected {_NAMES.get(kind or '', kind)}, found {found}", where)
        self.i += 1
        return token

    def text_from(self, start: int) -> str:
        first = self.tokens[start - 1].end if start else 0
        return self.source[first:self.tokens[self.i - 1].end].strip()

    # -- lookahead ---------------------------------------------------------------
    def remark_ahead(self) -> bool:
        """`(\\text{this includes the bias})`: words in parentheses, skipped."""
        if self.kind() != "lp":
            return False
        j = self.i + 1
        while j < len(self.tokens) and self.tokens[j].kind in ("label", "word", "num",
                                                                "unit", "sep"):
            j += 1
        if j < len(self.tokens) and self.tokens[j].kind == "rp" and any(
                self.tokens[k].kind in ("label", "word") for k in range(self.i + 1, j)):
            self.i = j + 1
            return True
        return False

    def is_value_aside(self) -> bool:
        """`\\quad (54 GB)`: a parenthesised number with a unit restating a value."""
        depth, j, saw_unit = 0, self.i, False
        while j < len(self.tokens):
            kind = self.tokens[j].kind
            depth += {"lp": 1, "rp": -1}.get(kind, 0)
            saw_unit |= kind == "unit"
            if depth == 0:
                return saw_unit and j + 1 == len(self.tokens) or (
                    saw_unit and self.tokens[j + 1].kind in ("sep", "tag"))
            if kind in ("sym", "rel", "frac", "fn"):
                return False
            j += 1
        return False

    def label_ahead(self) -> bool:
        """`L(N, D)` / `FLOPs(N)`: parentheses holding only symbols and commas."""
        j, saw_comma = self.i + 1, False
        while j < len(self.tokens) and self.tokens[j].kind in ("sym", "sep", "prime",
                                                                "sub"):
            saw_comma |= self.tokens[j].text == ","
            j += 1
        closes = j < len(self.tokens) and self.tokens[j].kind == "rp"
        at_end = j + 1 >= len(self.tokens) or self.tokens[j + 1].kind in ("rel", "sep")
        return closes and at_end and (saw_comma or self.i <= 1) and j > self.i + 1

    def skip_group(self) -> None:
        while self.kind() != "rp":
            self.take()
        self.take("rp")


_NAMES = {"rp": "')'", "rb": "'}'", "rbrack": "']'", "lb": "'{'", "lp": "'('",
          "num": "a number"}
