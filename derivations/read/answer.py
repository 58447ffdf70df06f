"""Reading one answer: a `derive check` cell, an LMS response, a write-up's `Answer:`.

One reader for everything a student writes as an answer, built on the same tokens and
expression grammar as a written derivation (`read.tokens`, `read.grammar`), so
`$1.65 \\times 10^{24}$`, `\\num{1.65e24}`, `\\SI{350}{\\giga\\byte}`, `1.65 × 10²⁴`,
`15’625`, `7.5 tn tokens`, `2^14`, `1e6/64 = 15625` and `eight` read the same way in
`check`, `check-work` and the LMS import. The grammar of an answer:

    answer    := [label relation] segment (relation segment)*
    segment   := [words] value [unit...] tail*
    tail      := "(" [relation] segment ")" | "(" words ")" | "," words | words
    value     := an expression of numbers (the derivation grammar, no symbols)

- a *label* is a name or words before a relation or a value (`C =`, `rank`, `about`);
- the **answer** is the first written figure after the last computed value
  (`1e6/64 = 15625` answers 15625; `350 GB = 326 GiB` answers 350 GB), or the computed
  value when nothing is written after it (`2^14`);
- every other value the text gives is a **restatement** that must agree (the grader
  judges it: `350 GB (999 GiB)` contradicts itself);
- words after the value are a **remark** (`rounded`, `MFU`, `to 4 s.f.`); a remark
  that holds a number is read as a restatement after `i.e.`, `or`, `=` or `≈`, and is
  otherwise unparsed with that reason, never guessed.

True/false answers, lists and number words have their own small grammars below.
Nothing a student writes can raise or run: every failure is `Unparsed` with a reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from derivations.read import words as wording
from derivations.read.grammar import read_expression
from derivations.read.nodes import Num, Op, Unit
from derivations.read.numerals import scan
from derivations.read.tokens import ReadError, Token, tokenize
from derivations.read.units import UnitWord, read_unit
from derivations.read.values import Undefined, Unknown, exact_value, split_units

MAX_LENGTH = 400
MAX_EXPONENT = 400
#: Numbers are compared as floats: anything outside this magnitude range is refused
#: with a reason (10^-250 .. 10^250 leaves room for unit factors up to 10^24).
SMALLEST, LARGEST = Fraction(1, 10**250), Fraction(10**250)


@dataclass(frozen=True)
class Restatement:
    """Another value the answer gives for itself (`(326 GiB)`, `= 9.9e12`)."""

    value: Fraction
    half: Fraction
    unit: UnitWord | None
    relation: str   # "=", "≈", or "(" for a bare aside
    text: str


@dataclass(frozen=True)
class Number:
    """A number read: exact `value` in `unit` as written (None: no unit), half a unit
    in its last place (0 for an exact computation such as `2^14`), the other reading
    of an ambiguous grouping (`1,896` as 1.896, `62.500` as 62 500), the restatements
    that must agree with it, and the names written before it."""

    value: Fraction
    unit: UnitWord | None
    text: str
    half: Fraction = Fraction(0)
    alternative: Fraction | None = None
    restated: tuple[Restatement, ...] = ()
    names: tuple[str, ...] = ()
    form: str = "plain"


@dataclass(frozen=True)
class Boolean:
    value: bool
    text: str


@dataclass(frozen=True)
class Vector:
    values: tuple[Fraction, ...]
    text: str
    unit: UnitWord | None = None


@dataclass(frozen=True)
class Unparsed:
    """Text that is not an answer the grader understands, and why."""

    reason: str
    text: str


Reading = Number | Boolean | Vector | Unparsed


def read_answer(text: object) -> Reading | None:
    """Read one answer; None when it is empty (a missing answer)."""
    if text is None:
        return None
    if isinstance(text, bool):
        return Boolean(text, str(text))
    return _read(str(text))


@lru_cache(maxsize=2**16)
def _read(raw: str) -> Reading | None:
    """Cached: a class writes the same few forms (`8`, `true`, `54 GiB`) many times."""
    if len(raw) > MAX_LENGTH:
        return Unparsed(f"longer than {MAX_LENGTH} characters", raw[:40] + "...")
    if not raw.isascii() and len({unicodedata.name(c, "?").rsplit("DIGIT", 1)[0] for c in raw
                                  if c.isdecimal() and not "\uff10" <= c <= "\uff19"}) > 1:
        return Unparsed("digits of two writing systems in one answer", raw)
    cleaned, form = clean(raw)
    if not cleaned:
        return None
    simple = _plain_figure(cleaned, raw, form)
    if simple is not None:
        return simple
    truth = wording.truth(cleaned)
    if truth is not None:
        return Boolean(truth, raw) if isinstance(truth, bool) else Unparsed(truth, raw)
    listed = _vector(cleaned, raw)
    if listed is not None:
        return listed
    spelled = wording.number_words(cleaned)
    if spelled is not None:
        value, rest = spelled
        cleaned, form = f"{value} {rest}".strip(), "words"
    try:
        tokens = tokenize(cleaned, answer=True)
    except ReadError as exc:
        return Unparsed(_digits_reason(cleaned) or exc.reason, raw)
    return _quantity(cleaned, tokens, raw, form)


_LEAD = re.compile(r"[-+−]?(?=\d|\.\d)")
_UNIT_TAIL = re.compile(r"\s*([A-Za-z%][A-Za-z/%-]*)?\s*$")


def _plain_figure(cleaned: str, raw: str, form: str) -> Number | None:
    """The commonest answer, one figure and at most one unit word (`1.648e24`,
    `54 GiB`, `15 625 steps`), read straight by the same numeral and unit grammars;
    None for anything else, which goes through the whole grammar. A test checks
    that both ways give the same reading."""
    lead = _LEAD.match(cleaned)
    if lead is None:
        return None
    numeral = scan(cleaned, lead.end())
    if numeral is None:
        return None
    tail = _UNIT_TAIL.match(cleaned, numeral.end)
    if tail is None or (tail.group(1) and not cleaned[numeral.end:tail.start(1)]
                        and tail.group(1)[0] in "eE"):
        return None
    word = tail.group(1) or ""
    unit = read_unit(word) if word else None
    if word and (unit is None or len(word) < 2 or unit.kind == "1" and word != "%"):
        return None  # a scale word, a one-letter unit, a remark: the whole grammar decides
    value, half, alternative = numeral.value, numeral.half, numeral.alternative
    if lead.group(0) in "-−" and lead.group(0):
        value = -value
        alternative = -alternative if alternative is not None else None
    if value and not SMALLEST <= abs(value) <= LARGEST:
        return None
    return Number(value, unit, raw, half, alternative, form=form)


# -- the text around the math -------------------------------------------------------
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c"
                                    "\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"))
_WIDE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_DELIMITERS = re.compile(r"\$\$|\\\[|\\\]|\\\(|\\\)|(?<!\\)\$")
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_|`)(.+)\1$")
#: A LaTeX command that only sets its argument in another font: `\text{True}`.
_WRAPPED = re.compile(r"\\(?:text|textrm|textbf|textit|mathrm|mathbf|mathit|emph|"
                      r"operatorname)\s*\{([^{}\\]*)\}")
#: Markdown bold or code around part of an answer (`**7.5e12** tokens`), not Python's
#: power `2**14`: the marks open after a space and close before one.
_BOLD = re.compile(r"(?:(?<=\s)|^)(\*\*|__|`)(?=\S)([^*_`]+?)(?<=\S)\1(?=\s|$|[.,;:)])")


def clean(raw: str) -> tuple[str, str]:
    """The answer without what only decorates it, and its form (`latex` or `plain`).

    Invisible and direction-control characters are dropped, full-width forms and
    digits of other scripts become ASCII (Unicode's decimal digit property), Markdown
    emphasis and code marks around the whole answer and math delimiters (`$...$`,
    `\\(...\\)`) are removed, and a final full stop is dropped."""
    text = raw
    if not text.isascii():
        text = unicodedata.normalize("NFC", raw).translate(_INVISIBLE).translate(_WIDE)
        text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii()
                       and unicodedata.decimal(c, None) is not None else c for c in text)
    text = " ".join(text.split())
    if "*" in text or "_" in text or "`" in text:
        for _ in range(2):
            match = _EMPHASIS.match(text)
            if match:
                text = match.group(2).strip()
        text = _BOLD.sub(r"\2", text)
    form = "plain"
    if "\\" in text or "$" in text:
        form = "latex"
        text = _WRAPPED.sub(r" \1 ", text)
        text = _DELIMITERS.sub(" ", text).strip()
    if text[-1:] in (".", "!", ";"):
        text = re.sub(r"(?<=[\d\w%)}])\s*[.!;]+$", "", text) if not re.search(
            r"\d\.$", text) or re.search(r"(?:[eE]|\^)\s*[+-]?\d+\.$|\d\.\d+\.$", text) \
            else text
    return text.strip(), form


def _digits_reason(text: str) -> str:
    if re.search(r"\d", text) and any(c.isdigit() and not c.isascii() for c in text):
        return "use plain digits 0-9"
    return ""


# -- numbers and their restatements --------------------------------------------------
@dataclass
class _Segment:
    tokens: list[Token]
    relation: str   # how it is tied to what comes before: "", "=", "≈", "("


def _quantity(cleaned: str, tokens: list[Token], raw: str, form: str) -> Reading:
    names: list[str] = []
    values: list[tuple[_Segment, Number]] = []
    segments = _segments(tokens)
    for k, segment in enumerate(segments):
        if segment.tokens[0].kind == "rel":  # `(= 9.9e12)`, `(≈ 326 GiB)`
            segment.tokens = segment.tokens[1:]
            if segment.relation in ("(", ",") and segment.tokens:
                segment.relation = "(" if segment.relation == "(" else ","
        text = cleaned[segment.tokens[0].at:segment.tokens[-1].end] if segment.tokens else ""
        if not segment.tokens or wording.is_precision(text):
            continue  # `(to 4 s.f.)`: how it was rounded
        if k + 1 < len(segments) and segments[k + 1].relation in ("=", "≈") and any(
                t.kind in ("word", "sym", "label") for t in segment.tokens):
            names.append(_spelled(segment.tokens))  # `E1.L =`, `C = 6ND =`: a name
            continue
        body = _strip_label(segment.tokens, names if segment.relation in ("", "=", "≈")
                            else [])
        if not any(t.kind == "num" for t in body):
            continue
        found = _value(cleaned, body, raw, segment.relation)
        if isinstance(found, Unparsed):
            return found
        values.extend(found)
    if not values:
        return Unparsed(_digits_reason(cleaned) or "not a number", raw)
    answer = _answer_index(values)
    main = values[answer][1]
    others = tuple(Restatement(v.value, v.half, v.unit, segment.relation or "=", v.text)
                   for k, (segment, v) in enumerate(values) if k != answer)
    return Number(main.value, main.unit, raw, main.half, main.alternative, others,
                  tuple(names), form)


def _answer_index(values: list[tuple[_Segment, Number]]) -> int:
    """The first written figure after the last computed value (see module doc)."""
    top = [k for k, (segment, _) in enumerate(values) if segment.relation != "("]
    computed = [k for k in top if values[k][1].form == "computed"]
    after = [k for k in top if k > (computed[-1] if computed else -1)
             and values[k][1].form != "computed"]
    if after:
        return after[0]
    return computed[-1] if computed else top[0] if top else 0


def _segments(tokens: list[Token]) -> list[_Segment]:
    """Split at top-level relations; a parenthesised group after a value and a comma
    start a tail segment (an aside or a remark)."""
    segments = [_Segment([], "")]
    depth = 0
    for k, token in enumerate(tokens):
        if token.kind in ("lp", "lb", "lbrack"):
            operand = k and tokens[k - 1].kind in ("num", "unit", "pct", "rp", "rb") and \
                not (k > 1 and tokens[k - 2].kind == "fn")  # `log2(...)`
            if depth == 0 and token.kind == "lp" and operand:
                segments.append(_Segment([], "("))
                depth += 1
                continue
            depth += 1
        elif token.kind in ("rp", "rb", "rbrack"):
            depth -= 1
            if depth == 0 and token.kind == "rp" and segments[-1].relation == "(":
                segments.append(_Segment([], ","))
                continue
        elif depth == 0 and token.kind == "rel":
            segments.append(_Segment([], str(token.value)))
            continue
        elif depth == 0 and token.kind == "sep" and token.text in ",;":
            segments.append(_Segment([], ","))
            continue
        if depth < 0:
            depth = 0
        segments[-1].tokens.append(token)
    return [s for s in segments if s.tokens]


_LABEL_KINDS = ("word", "sym", "sub", "prime", "label", "font", "sep")


def _strip_label(tokens: list[Token], names: list[str]) -> list[Token]:
    """A segment without the words before its value (`rank 8`, `C`, `about`)."""
    start = 0
    while start < len(tokens) and tokens[start].kind in _LABEL_KINDS:
        start += 1
    if start and start < len(tokens) and tokens[start - 1].kind == "word" and \
            tokens[start - 1].end == tokens[start].at:
        return tokens  # `e24`, `x8`: a word glued to a number is no label
    if start:
        names.append(_spelled(tokens[:start]))
    return tokens[start:]


def _spelled(tokens: list[Token]) -> str:
    """A name as written, from its tokens (`N_opt`, `E1.L`, `rank`)."""
    text = ""
    for token in tokens:
        glued = token.kind in ("sub", "prime", "num") or token.text == "." or (
            text and text[-1] in "_.'")
        text += ("" if glued or not text else " ") + token.text
    return text.strip(" :")


def _value(cleaned: str, tokens: list[Token], raw: str, relation: str
           ) -> list[tuple[_Segment, Number]] | Unparsed:
    """The value of a segment's tokens, and of a remark after it when it restates it."""
    end = next((k for k, t in enumerate(tokens) if t.kind in ("word", "label", "sep")),
               len(tokens))
    value_tokens, remark = tokens[:end], tokens[end:]
    if not value_tokens:
        return Unparsed("not a number", raw)
    if remark and remark[0].kind == "word" and not any(
            t.kind in ("unit", "pct") for t in value_tokens) and not \
            wording.is_remark(remark[0].text) and remark[0].at == _after(cleaned, value_tokens):
        words = cleaned[remark[0].at:].split("(")[0].split(",")[0].strip()
        return Unparsed(f"unknown unit {words!r}", raw)
    if remark and any(t.kind == "num" for t in remark) and not wording.is_precision(
            cleaned[remark[0].at:]):
        restated = _remark_value(cleaned, remark, raw)
        if isinstance(restated, Unparsed):
            return restated
    else:
        restated = []
    try:
        node = read_expression(cleaned, value_tokens)
    except ReadError as exc:
        return Unparsed(f"{exc.reason}", raw)
    number = _number(node, cleaned[value_tokens[0].at:value_tokens[-1].end].strip(), raw)
    if isinstance(number, Unparsed):
        return number
    return [(_Segment(value_tokens, relation), number), *restated]


def _after(text: str, tokens: list[Token]) -> int:
    """Where the next word starts after `tokens` (past the spaces)."""
    end = tokens[-1].end
    return end + len(text[end:]) - len(text[end:].lstrip())


def _remark_value(cleaned: str, remark: list[Token], raw: str
                  ) -> list[tuple[_Segment, Number]] | Unparsed:
    """A number in the words after a value: a restatement after `i.e.`, `or`, `that
    is`, `about`; anything else is unparsed (a number whose role is not known)."""
    text = cleaned[remark[0].at:]
    marker = wording.restatement_marker(text)
    if marker is None:
        return Unparsed(f"a number in the words after the answer ({text.strip()!r}) is "
                        "not read", raw)
    start = next((k for k, t in enumerate(remark) if t.at >= remark[0].at + marker), None)
    rest = remark[start:] if start is not None else []
    body = _strip_label(rest, [])
    if not body:
        return []
    return _value(cleaned, body, raw, "=")


def _number(node: object, text: str, raw: str) -> Number | Unparsed:
    try:
        bare, units = split_units(node)  # type: ignore[arg-type]
        value, half, computed = exact_value(bare)
    except (Unknown, Undefined) as exc:
        return Unparsed(f"not a number ({exc})", raw)
    if len(units) > 1:
        return Unparsed("two units: " + " ".join(u.word for u in units), raw)
    unit = read_unit(units[0].word) or _unit_of(units[0]) if units else None
    if value and not SMALLEST <= abs(value) <= LARGEST:
        return Unparsed("the number is out of range (the grader compares magnitudes from "
                        "10^-250 to 10^250)", raw)
    alternative = bare.alternative if isinstance(bare, Num) else None
    if isinstance(bare, Op) and bare.kind == "neg" and isinstance(bare.args[0], Num) and \
            bare.args[0].alternative is not None:
        alternative = -bare.args[0].alternative
    if isinstance(bare, Op) and bare.kind == "mul" and isinstance(bare.args[0], Num) and \
            bare.args[0].alternative is not None and bare.args[0].value and all(
                isinstance(a, Unit) for a in bare.args[1:]):  # `12,288`, `7,5 trillion`
        alternative = value * bare.args[0].alternative / bare.args[0].value
    return Number(value, unit, text, half, alternative, form="computed" if computed
                  else "plain")


def _unit_of(unit: Unit) -> UnitWord:
    return UnitWord(unit.word, unit.unit, unit.factor, unit.kind)


# -- lists ---------------------------------------------------------------------------
_LIST = re.compile(r"^[\[(](?P<inner>[^\[\]()]*)[\])]\s*(?P<tail>[^\d\s].{0,30})?$|"
                   r"^(?P<bare>[-−+]?\d[^,;]*(?:[,;]\s+[-−+]?\d[^,;]*)+)$")


def _vector(cleaned: str, raw: str) -> Reading | None:
    """`[49, -20, 127, -111]`, `[2.85%, 20.8%]`, `(0.0285 0.208)`, `1.371, 2.416`."""
    match = _LIST.match(cleaned)
    if match is None:
        return None
    inner = match.group("inner") if match.group("inner") is not None else match.group("bare")
    tail = (match.group("tail") or "").strip()
    unit = read_unit(tail) if tail else None
    if tail and unit is None:
        return Unparsed(f"unknown unit {tail!r}", raw)
    parts = [p for p in re.split(r"[,;]\s*|\s+(?=[-−+]?\d)", inner.strip()) if p.strip()]
    if len(parts) < 2 and match.group("inner") is not None and "," not in inner:
        return None  # `(326 GiB)`: one value in parentheses is not a list
    if not parts or len(parts) > 64:
        return Unparsed("not a list of numbers", raw)
    values = []
    percent = []
    for part in parts:
        part = part.strip().replace("−", "-")
        sign = -1 if part.startswith("-") else 1
        numeral = scan(part.lstrip("+-"), 0)
        rest = part.lstrip("+-")[numeral.end:].strip() if numeral else part
        if numeral is None or rest not in ("", "%"):
            return Unparsed("not a list of numbers", raw) if match.group("bare") is None \
                else None
        values.append(sign * numeral.value)
        percent.append(rest == "%")
    if any(percent):
        if not all(percent) or unit is not None:
            return Unparsed("a list with % on some values only", raw)
        unit = read_unit("%")
    return Vector(tuple(values), raw, unit)
