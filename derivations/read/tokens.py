"""Cutting written math into tokens: LaTeX, Unicode and plain notation alike.

`C \\approx 6 \\times 67 \\times 10^9`, `C ≈ 6 × 67 × 10^9` and `C ~= 6*67e9` give the
same tokens. Why one tokenizer for three notations: students mix them in one file
(a Markdown write-up with `$...$` and Unicode arrows in prose).

Nothing is guessed: an unknown command (`\\mathbb`), a command that defines or loads
(`\\def`, `\\input`), an inequality or a stray character stops the formula with a
`ReadError` naming the position; the caller reports the line as unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from derivations.read.lexicon import (
    ADJECTIVES,
    EQUAL,
    FUNCTIONS,
    GREEK_LETTERS,
    INEQUALITIES,
    INEQUALITY_COMMANDS,
    RELATION_CHARS,
    RELATION_COMMANDS,
    STOP_WORDS,
    unit_word,
)
from derivations.read.numerals import VULGAR, scan
from derivations.read.units import SCALE_LETTERS, UnitWord, read_unit, scale_of
from derivations.sheet.mathtext import GREEK

MAX_FORMULA = 4000  # characters in one formula (a run of math)

REFUSED = {"input", "include", "def", "edef", "gdef", "xdef", "let", "newcommand",
           "renewcommand", "providecommand", "DeclareMathOperator", "write", "immediate",
           "openout", "openin", "read", "catcode", "usepackage", "documentclass",
           "csname", "expandafter", "includegraphics", "write18", "directlua"}
_SPACES = {",", ";", ":", "!", " ", "enspace", "thinspace", "medspace", "thickspace",
           "displaystyle", "textstyle", "nonumber", "notag", "left", "right", "bigl",
           "bigr", "Bigl", "Bigr", "big", "Big", "bigg", "Bigg", "biggl", "biggr",
           "Biggl", "Biggr", "middle", "limits", "nolimits"}
_SEPARATORS = {"quad", "qquad", "\\", "newline", "text_and"}
_ALIGNMENTS = {"aligned", "align", "gathered", "gather", "split", "equation", "multline",
               "eqnarray", "alignedat", "flalign"}
_TEXT_COMMANDS = {"text", "textrm", "mathrm", "mbox", "operatorname", "mathit", "textit",
                  "mathbf", "textbf", "mathsf", "textsf", "texttt", "mathtt", "hbox"}
_FONT_SWITCHES = {"rm", "it", "bf", "sf", "tt"}
#: Commands that only decorate their argument: read it as a group.
_TRANSPARENT = {"boxed", "underline", "bm", "boldsymbol", "mathbold", "emph", "fbox",
                "overline"}
_TIMES = {"times", "cdot", "ast", "bullet", "cdotp"}
#: `67B parameters`, `4.1T tokens`: a scale letter glued to a number, before a unit word.
_SCALE_LETTER = re.compile(r"([KMBT])\s+(?=[A-Za-z]{3,})")
_SCALE_LETTERS = {"K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_DIGITS = "0123456789"
#: One-letter units, read as units only inside \\text{...} (a bare s or h is a symbol).
_TEXT_LETTERS = {"s": ("second", Fraction(1), "time"), "h": ("second", Fraction(3600), "time"),
                 "B": ("byte", Fraction(1), "byte")}
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


class ReadError(ValueError):
    """Math the reader does not read; `offset` is the column in the formula.

    An internal signal, not a user error: every caller turns it into an `unparsed`
    answer or an unread line with this reason, so one that escaped would be a bug
    (exit 3), never "bad input"."""

    def __init__(self, reason: str, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.offset = reason, offset

    def __str__(self) -> str:
        return self.reason + (f" (column {self.offset + 1})" if self.offset is not None
                              else "")


@dataclass(frozen=True)
class Token:
    kind: str   # num sym word fn op lp rp lb rb lbrack rbrack pow sub prime rel frac
    #             sqrt tag sep pct comma label_end fact
    text: str
    at: int
    value: object = None
    end: int = 0  # position just after the token in the formula


_FACTORIAL_AFTER = set("0123456789)}")


def tokenize(source: str, answer: bool = False) -> list[Token]:
    """Tokens of one formula (the text between `$...$`, or a plain-text line).

    `answer`: the text is one answer (`derive check`, an LMS response, `Answer: ...`),
    where a word is a unit, a scale, an adjective before a unit, or prose; never a
    product of one-letter symbols (`MFU` is a remark, `tn` a trillion, `31.35 d` days).
    """
    if len(source) > MAX_FORMULA:
        raise ReadError(f"a formula of {len(source)} characters (the checker reads at most "
                        f"{MAX_FORMULA})")
    return _Lexer(source, answer).run()


class _Scanner:
    """A position in one formula's text and the tokens read so far, with the small
    scans every layer of the lexer uses (a braced argument, options, a factorial,
    whether `x` is a times sign)."""

    def __init__(self, source: str, answer: bool = False) -> None:
        self.s, self.i, self.out = source, 0, []  # type: tuple[str, int, list[Token]]
        self.answer = answer

    def add(self, kind: str, text: str, at: int, value: object = None) -> None:
        self.out.append(Token(kind, text, at, value, self.i))

    def braced(self, name: str) -> str:
        s = self.s
        while self.i < len(s) and s[self.i] == " ":
            self.i += 1
        if s[self.i:self.i + 1] != "{":
            raise ReadError(f"\\{name} needs a {{...}} argument", self.i)
        depth, start = 0, self.i
        for j in range(self.i, len(s)):
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                self.i = j + 1
                return s[start + 1:j]
        raise ReadError("unbalanced '{'", start)

    def options(self) -> None:
        """Skip a `[...]` of options (siunitx's `round-precision=3`)."""
        match = re.compile(r"\s*\[[^\]\[]{0,200}\]").match(self.s, self.i)
        if match:
            self.i = match.end()

    def factorial(self, at: int) -> None:
        """`170!` right after a digit or a closing bracket. At the very end of the text
        it may as well be an exclamation mark (`... = 42!`), so it is not read there."""
        if self.s[at + 1:at + 2] == "!":
            raise ReadError("'!!' (a double factorial) is not read", at)
        if not self.s[at + 1:].strip():
            raise ReadError("'!' at the end: a factorial or an exclamation mark?", at)
        self.add("fact", "!", at)

    def times_sign(self, at: int) -> bool:
        """Is the `x` at `at` a times sign? Between two numbers (`6 x 67`), or spaced
        on both sides between two operands (`6 x N x D`, `0.99 x L`); `x = 2.64`,
        `2x` and `(x + 1)` are the symbol x."""
        if not self.out or self.out[-1].kind not in ("num", "rp", "unit", "sym", "rb"):
            return False
        before, after = self.s[at - 1:at], self.s[at + 1:at + 2]
        following = self.s[at + 1:].lstrip()[:1]
        if self.out[-1].kind == "num" and re.match(r"[\d.(]", following or " "):
            return True
        return before.isspace() and after.isspace() and bool(
            re.match(r"[\w(\\]", following or " ")) and following not in ("=",)


class _PlainLexer(_Scanner):
    """Numbers, words and signs: the notation of plain text and of answers."""

    def number(self) -> None:
        start = self.i
        numeral = scan(self.s, start)
        assert numeral is not None
        value = numeral.value
        self.i = numeral.end
        if self.s[self.i:self.i + 1] in VULGAR and "." not in self.s[start:self.i]:
            value += VULGAR[self.s[self.i]]  # `1½`
            self.i += 1
        self.add("num", self.s[start:self.i], start, (value, numeral.half,
                                                      numeral.alternative))
        scale = _SCALE_LETTER.match(self.s, self.i)
        if scale and (word := re.match(r"[A-Za-z]+", self.s[scale.end():])) and \
                unit_word(word.group(0)):
            self.i = scale.end()
            self.add("unit", scale.group(1), scale.start(),
                     ("1", Fraction(_SCALE_LETTERS[scale.group(1)]), "scale"))

    def letters(self) -> None:
        match = re.compile(r"[A-Za-z]+").match(self.s, self.i)
        assert match is not None
        word, at = match.group(0), self.i
        self.i = match.end()
        after_number = bool(self.out) and self.out[-1].kind in ("num", "rb", "rp") and \
            _spacing(self.s[self.out[-1].end:at])
        if word in ("x", "X") and self.times_sign(at):
            self.add("op", "*", at)   # `6 x 67 x 10^9`, `6 x N x D`: a times sign
        elif word == "B" and after_number and not re.match(r"\s*[/^_\w]|\(", self.s[self.i:]):
            self.add("unit", word, at, ("byte", Fraction(1), "byte"))  # `4 B`: bytes
        elif self.answer:
            self.answer_word(word, at)
        elif word in STOP_WORDS:
            self.add("word", word, at)
        elif word in FUNCTIONS:
            self.add("fn", word, at, word)
        elif len(word) > 1 and unit_word(word):
            self.unit(word, at)
        elif word in GREEK and len(word) > 2:
            self.add("sym", word, at, word)
        elif len(word) >= 3 and any(ch.islower() for ch in word):
            self.add("word", word, at)   # prose: ends the formula
        else:
            for k, ch in enumerate(word):
                self.add("sym", ch, at + k, ch)

    def answer_word(self, word: str, at: int) -> None:
        """A word of an answer: a unit (`GBs`, and one letter right after a value:
        `31.35 d`), a scale (`tn`, `67B`), an adjective before a unit (dropped), else
        prose; the reader decides what prose after the value means."""
        after_value = bool(self.out) and self.out[-1].kind in ("num", "pct", "rb", "rp") \
            and _spacing(self.s[self.out[-1].end:at])
        glued = bool(self.out) and self.out[-1].kind == "num" and self.out[-1].end == at
        scale = scale_of(word) if len(word) > 1 else None
        letter = SCALE_LETTERS.get(word) if len(word) == 1 and after_value and (
            glued or word not in "dhs") else None
        if word in FUNCTIONS and re.match(r"\s*[(\d{]", self.s[self.i:]):
            self.add("fn", word, at, word)
        elif scale is not None or letter is not None:
            self.add("unit", word, at, ("1", Fraction(scale or 10 ** (letter or 0)), "scale"))
        elif (len(word) > 1 or after_value) and (found := read_unit(word)) is not None:
            self.unit_from(found, at)
        elif word.lower() in ADJECTIVES and re.match(r"\s*[A-Za-z]", self.s[self.i:]):
            return
        else:
            self.add("word", word, at)

    def unit_from(self, found: UnitWord, at: int) -> None:
        """A unit word read by the grammar, with `/token` or ` per second` after it."""
        match = re.compile(r"\s*(?:/|\bper\b)\s*([A-Za-z]+)").match(self.s, self.i)
        if match and (joined := read_unit(f"{found.word}/{match.group(1)}")):
            self.i = match.end()
            found = joined
        span = re.compile(r"-(?:days?|hours?|hrs?)\b").match(self.s, self.i)
        if span and (joined := read_unit(found.word + span.group(0))):
            self.i = span.end()  # `PFLOP-days`, `GPU-hours`
            found = joined
        self.add("unit", found.word, at, found.as_tuple())

    def unit(self, word: str, at: int) -> None:
        """A unit word, with `/parameter` after it kept in the same word."""
        found = unit_word(word)
        match = re.compile(r"\s*/\s*([A-Za-z]+)").match(self.s, self.i)
        span = re.compile(r"-(?:days?|hours?|hrs?)\b").match(self.s, self.i)
        if match and (per := unit_word(match.group(1))) and per[2] == "count":
            self.i = match.end()
            word = f"{word}/{match.group(1)}"
        elif span and (joined := read_unit(word + span.group(0))):
            self.i = span.end()  # `PFLOP-days`, `GPU-hours`
            word, found = joined.word, joined.as_tuple()
        self.add("unit", word, at, found)

    def sign(self, c: str, at: int) -> None:  # long: one case per character class
        s = self.s
        two = s[at:at + 2]
        if two == "**":
            self.i += 2
            self.add("pow", "^", at)
            return
        if two in (":=", "~=", "->", "=>"):
            self.i += 2
            self.add("rel", two, at, {":=": EQUAL, "~=": "≈"}.get(two, "→"))
            return
        self.i += 1
        if c in RELATION_CHARS:
            self.add("rel", c, at, RELATION_CHARS[c])
        elif c in INEQUALITIES:
            raise ReadError(f"'{c}': only =, ≈ and → relations are checked", at)
        elif c in "+-−–":
            self.add("op", "-" if c != "+" else "+", at)
        elif c in "*×·⋅∗":
            self.add("op", "*", at)
        elif c in "/÷":
            self.add("op", "/", at)
        elif c in "()[]{}":
            kind = {"(": "lp", ")": "rp", "[": "lbrack", "]": "rbrack", "{": "lb",
                    "}": "rb"}[c]
            self.add(kind, c, at)
        elif c == "^":
            self.add("pow", c, at)
        elif c == "_":
            self.add("sub", c, at)
        elif c in "'′":
            self.add("prime", "'", at)
        elif c == "″":
            self.add("prime", "'", at)
            self.add("prime", "'", at)
        elif c == "%":
            self.add("pct", c, at)
        elif c in ",;":
            self.add("sep", c, at)
        elif c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻":
            run = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+").match(s, at)
            assert run is not None
            self.i = run.end()
            self.add("pow", "^", at)
            digits = run.group(0).translate(_SUPERSCRIPT)
            if digits.startswith("-"):
                self.add("op", "-", at)
                digits = digits[1:]
            if not digits.isdigit():
                raise ReadError("a superscript that is not a number", at)
            self.add("num", digits, at, (Fraction(int(digits)), Fraction(0), None))
        elif c in VULGAR:
            self.add("num", c, at, (VULGAR[c], Fraction(0), None))
        elif c in GREEK_LETTERS:
            self.add("sym", GREEK_LETTERS[c], at, GREEK_LETTERS[c])
        elif c == "√":
            self.add("sqrt", c, at)
        elif c in "⌈⌉⌊⌋":
            self.add("round", "ceil" if c in "⌈⌉" else "floor", at, "l" if c in "⌈⌊" else "r")
        elif c == "!" and at and s[at - 1] in _FACTORIAL_AFTER and s[at + 1:at + 2] != "=":
            self.factorial(at)
        elif c in ".:!?":
            self.add("sep", c, at)
        elif c == "|":
            raise ReadError("'|' (absolute values and norms are not read)", at)
        else:
            raise ReadError(f"unexpected {c!r}", at)


class _Lexer(_PlainLexer):
    """Plain notation plus LaTeX commands (`\\frac`, `\\text{}`, siunitx)."""

    def run(self) -> list[Token]:
        s = self.s
        while self.i < len(s):
            c, at = s[self.i], self.i
            if c.isspace() or c in "&~":
                self.i += 1
            elif c in _DIGITS or (c == "." and s[at + 1:at + 2] in _DIGITS and
                                  s[at + 1:at + 2]):
                self.number()
            elif c == "\\":
                self.command()
            elif c.isalpha() and c.isascii():
                self.letters()
            else:
                self.sign(c, at)
        return self.out

    def command(self) -> None:  # long: one case per family of commands
        s, at = self.s, self.i
        match = re.compile(r"\\([A-Za-z]+|.)").match(s, at)
        if match is None:
            raise ReadError("a lone backslash", at)
        name = match.group(1)
        self.i = match.end()
        if name in REFUSED:
            raise ReadError(f"\\{name} is refused: a write-up is read as data, never as "
                            "TeX that defines or loads anything", at)
        if name in GREEK:
            self.add("sym", name, at, name)
        elif name in _TIMES:
            self.add("op", "*", at)
        elif name == "div":
            self.add("op", "/", at)
        elif name in ("frac", "dfrac", "tfrac", "cfrac"):
            self.add("frac", name, at)
        elif name == "sqrt":
            self.add("sqrt", name, at)
        elif name in ("lceil", "lfloor", "rceil", "rfloor"):
            self.add("round", name[1:], at, name[0])  # `\\lceil x \\rceil`: rounding up
        elif name in ("log", "ln", "exp", "lg"):
            self.add("fn", name, at, name)
        elif name in RELATION_COMMANDS:
            self.add("rel", name, at, RELATION_COMMANDS[name])
        elif name in INEQUALITY_COMMANDS:
            raise ReadError(f"\\{name}: only =, ≈ and → relations are checked", at)
        elif name in _SPACES:
            if name in ("left", "right") and s[self.i:self.i + 1] == ".":
                self.i += 1
        elif name in _SEPARATORS:
            self.add("sep", name, at)
        elif name in ("prime",):
            self.add("prime", "'", at)
        elif name in ("%",):
            self.add("pct", "%", at)
        elif name in ("{", "}"):
            self.add("lp" if name == "{" else "rp", name, at)
        elif name in ("num", "SI", "qty", "si", "unit"):
            self.siunitx(name, at)
        elif name in ("begin", "end"):
            environment = self.braced(name).strip()
            if environment.rstrip("*") not in _ALIGNMENTS:
                raise ReadError(f"the {environment} environment is not read", at)
            self.add("sep", "\\", at)
        elif name in ("tag", "label", "hspace", "vspace", "eqref", "ref"):
            content = self.braced(name)
            if name == "tag":
                self.add("tag", content.strip("* "), at)
        elif name in _TEXT_COMMANDS:
            self.text(self.braced(name), at)
        elif name in _TRANSPARENT:
            self.group(self.braced(name), at)
        elif name in ("color", "textcolor"):
            self.braced(name)  # the colour's name; `\\textcolor{red}{x}` then reads x
        elif name in _FONT_SWITCHES:
            self.add("font", name, at)
        else:
            raise ReadError(f"\\{name} is not in the notation the checker reads", at)

    def siunitx(self, name: str, at: int) -> None:
        """siunitx: `\\num{1.65e24}`, `\\SI{54}{\\giga\\byte}`, `\\qty{36}{MiB}`,
        `\\si{\\tera\\flop\\per\\second}`; options in `[...]` are skipped."""
        self.options()
        if name in ("num", "SI", "qty"):
            self.group(self.braced(name).replace(" ", ""), at, brace=False)
            self.options()
        if name in ("SI", "qty", "si", "unit"):
            spelled = self.braced(name)
            word = re.sub(r"\\per\b", "/", spelled)
            word = re.sub(r"[\\{}\s]", "", word.replace("\\percent", "%"))
            unit = _text_unit(word)
            if unit is None or unit[2] == "scale":
                raise ReadError(f"the unit {spelled!r} is not read", at)
            self.add("unit", word, at, unit)

    def group(self, content: str, at: int, brace: bool = True) -> None:
        """Math inside a command's argument (`\\num{..}`, `\\boxed{..}`), lexed the same
        way and kept as one group."""
        if brace:
            self.add("lb", "{", at)
        for token in _Lexer(content, self.answer).run():
            self.out.append(Token(token.kind, token.text, at + token.at, token.value, self.i))
        if brace:
            self.add("rb", "}", at)

    def text(self, content: str, at: int) -> None:
        """`\\text{...}`: unit or scale words (`trillion tokens`), a one-letter name
        (`\\mathrm{d}`), a number set in text (`\\textbf{8}`), or a label in words
        (`\\text{batch size}`): a name, not a value."""
        words = content.replace("\\,", " ").replace("~", " ").replace("\\ ", " ").split()
        if not words:
            return
        if re.search(r"\d", content) and not re.search(r"[A-Za-z]{2}", content):
            self.group(content, at)
            return
        found = [_text_unit(word.rstrip(".,;")) for word in words]
        if all(found):
            for word, unit in zip(words, found, strict=True):
                self.add("unit", word.rstrip(".,;"), at, unit)
        elif len(words) == 1 and words[0] in FUNCTIONS:
            self.add("fn", words[0], at, words[0])  # `\\text{round}(x)`, `\\operatorname{ceil}`
        elif len(words) == 1 and words[0] in SCALE_LETTERS and self.out and \
                self.out[-1].kind == "num":
            self.add("unit", words[0], at, ("1", Fraction(10) ** SCALE_LETTERS[words[0]],
                                            "scale"))  # `7.544\\,\\text{T}`
        elif len(words) == 1 and re.fullmatch(r"[A-Za-z]'*", words[0]):
            self.add("sym", words[0], at, words[0])
        elif [w.lower() for w in words] == ["and"]:
            self.add("sep", "text_and", at)
        elif self.answer:
            for word in words:
                self.add("word", word, at)
        else:
            self.add("label", " ".join(words), at, " ".join(words))


def _text_unit(word: str) -> tuple[str, Fraction, str] | None:
    """A unit or scale word inside `\\text{}` (one letter too: `\\text{s}`)."""
    if word in _TEXT_LETTERS:
        return _TEXT_LETTERS[word]
    top, _, bottom = word.partition("/")
    per = unit_word(bottom) if bottom else None
    if per is not None and per[2] == "count" and unit_word(top):
        return unit_word(top)  # `bytes/parameter` in a product of parameters: bytes
    scale = scale_of(word)
    if scale is not None:
        return "1", Fraction(scale), "scale"
    found = read_unit(word)
    return found.as_tuple() if found is not None else unit_word(word)


def _spacing(text: str) -> bool:
    """Only space between two tokens: blanks and LaTeX spacing (`\\,`, `~`, `\\ `)."""
    return not re.sub(r"\\[,;:! ]|~|\s", "", text)
