"""TOML problem sheets -> `Sheet` objects, with errors that say where and what.

The format is documented in `docs/sheet-format.md`. This module only reads and checks
the *shape* of a sheet (known keys, right types, expressions that parse); whether a
formula exists or a given is missing is the engine's business, but every error is
reported with the sheet's file, key path and line.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from decimal import Decimal
from fractions import Fraction
from typing import Any

from derivations.errors import DerivationsError, SpecError, suggest
from derivations.files import templates_problem
from derivations.numbers import ascii_number, decimal_figures
from derivations.sheet.expr import MAX_LITERAL_DIGITS, Parsed, parse
from derivations.sheet.grading import read_credit, read_grading, read_mistakes, read_tests
from derivations.sheet.locate import locate
from derivations.sheet.model import (
    DEFAULT_SIG,
    Ask,
    Claim,
    Given,
    Plot,
    Problem,
    Sheet,
)
from derivations.sheet.randomness import check_quotes, read_random, read_variants

ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


SHEET_KEYS = {"title", "course", "given", "problems", "description", "plots", "grading",
              "output", "random", "variants", "tests"}
OUTPUT_KEYS = {"templates"}
PLOT_KEYS = {"id", "kind", "title", "after", "x", "y", "from", "to", "log_x", "x_label", "show",
             "y_label", "marks", "bars", "unit"}
PROBLEM_KEYS = {"id", "title", "statement", "topic", "given", "asks"}
ASK_KEYS = {"id", "formula", "equation", "expr", "solve_for", "bind", "unit", "sig", "integer",
            "independent_of", "text", "topic", "kind", "claim", "holds", "derivative", "between",
            "answer", "justification", "tolerance", "points", "credit", "mistakes"}
GIVEN_TABLE_KEYS = {"value", "unit", "dtype", "optimizer", "mixed_precision", "label",
                    "format"}
INTEGER_MODES = ("floor", "ceil", "round")
PROSE_FIELDS = {"statement", "justification", "claim", "description"}
PARAGRAPHS = {"statement", "justification", "description"}  # line breaks kept
MAX_LINE = 300      # characters of a title, heading, label or name
MAX_PROSE = 20_000  # characters of a statement or justification


def load_sheet(text: str, file: str, name: str) -> Sheet:
    """Parse sheet TOML `text` (read from `file`) into a `Sheet`.

    Raises:
        SpecError: malformed TOML (with line and column) or a sheet of the wrong shape.
    """
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise SpecError(file, "", f"malformed TOML: {exc}",
                        int(match.group(1)) if match else None) from None
    except RecursionError:
        raise SpecError(file, "", "TOML nested too deeply") from None
    except ValueError as exc:  # an integer beyond Python's 4300-digit conversion limit
        raise SpecError(file, "", f"a number in the TOML is too large ({exc})") from None
    return _Reader(file, text).sheet(data, name)


class _Fields:
    """The file being read and the checks every table shares: known keys, text fields,
    identifiers and expressions, each error carrying its key path and line."""

    def __init__(self, file: str, text: str) -> None:
        self.file, self.text = file, text

    def fail(self, key: str, message: str) -> SpecError:
        return SpecError(self.file, key, message, locate(self.text, key))

    def check_keys(self, table: dict[str, Any], allowed: set[str], key: str) -> None:
        for name in table:
            if name not in allowed:
                close = suggest(name, allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.fail(f"{key}.{name}".lstrip("."),
                                f"unknown key {name!r}{hint}; expected one of "
                                f"{', '.join(sorted(allowed))}")

    def text_field(self, table: dict[str, Any], name: str, key: str, default: str = "") -> str:
        """A text value: one line (white space folded), without control characters,
        of bounded length; prose fields (statements, justifications, claims) may be
        longer and keep their line breaks."""
        value = table.get(name, default)
        where = f"{key}.{name}".lstrip(".")
        if not isinstance(value, str):
            raise self.fail(where, "expected a string")
        prose = name in PROSE_FIELDS
        limit = MAX_PROSE if prose else MAX_LINE
        if len(value) > limit:
            raise self.fail(where, f"{len(value)} characters; at most {limit} are allowed")
        for char in value:
            if unicodedata.category(char) == "Cc" and char not in "\t\n\r":
                raise self.fail(where, f"control character U+{ord(char):04X} is not allowed "
                                "in text")
        return value if name in PARAGRAPHS else " ".join(value.split())

    def identified(self, table: Any, parent: str, index: int, kind: str,
                   example: str, allowed: set[str]) -> tuple[str, str]:
        """The id and key path of a `[[problems]]` or `[[problems.asks]]` table, after
        checking that it is a table with a valid id and only known keys."""
        if not isinstance(table, dict):
            raise self.fail(parent, f"expected a table [[{kind}]]")
        tid = table.get("id")
        if not isinstance(tid, str) or not ID_PATTERN.match(tid):
            raise self.fail(f"{parent}.#{index + 1}.id", f"each {kind.split('.')[-1][:-1]} "
                            f"needs an id such as {example!r} (letters, digits, _)")
        key = f"{parent}.{tid}"
        self.check_keys(table, allowed, key)
        return tid, key

    def expression(self, value: Any, key: str, relation: bool = False) -> Parsed:
        if isinstance(value, bool):
            raise self.fail(key, "expected a number or an expression string, got a boolean")
        if isinstance(value, int | Decimal):
            text = self.number_text(value, key)
        elif isinstance(value, list):
            if not value or not all(isinstance(v, int | Decimal) and not isinstance(v, bool)
                                    for v in value):
                raise self.fail(key, "a list given must hold numbers only")
            text = "[" + ", ".join(self.number_text(v, key) for v in value) + "]"
        elif isinstance(value, str):
            text = value
        else:
            shown = type(value).__name__ if not isinstance(value, dict | list) else "a table"
            raise self.fail(key, f"expected a number or an expression string, got {shown}")
        try:
            return parse(text, relation=relation)
        except DerivationsError as exc:
            raise self.fail(key, str(exc)) from None

    def number_text(self, value: int | Decimal, key: str) -> str:
        """A TOML number as decimal text, refusing nan, inf and absurd sizes."""
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise self.fail(key, f"{value} is not a finite number")
            if abs(value.adjusted()) > MAX_LITERAL_DIGITS:
                shown = ascii_number(decimal_figures(value, 4))
                raise self.fail(key, f"the number {shown} is too large or too small (at most "
                                f"about {MAX_LITERAL_DIGITS} digits either way)")
        elif value.bit_length() > MAX_LITERAL_DIGITS * 3:
            raise self.fail(key, "the integer is too large (at most about "
                            f"{MAX_LITERAL_DIGITS} digits)")
        return str(value)


class _AskReader(_Fields):
    """One ask of a problem: a formula, an equation, a value or a true/false claim."""

    def ask(self, table: Any, pkey: str, index: int) -> Ask:
        aid, key = self.identified(table, f"{pkey}.asks", index, "problems.asks", "D_new",
                                   ASK_KEYS)
        mistakes = read_mistakes(self, table["mistakes"], f"{key}.mistakes") \
            if "mistakes" in table else ()
        own = frozenset(m.id for m in mistakes)
        common: dict[str, Any] = {
            "id": aid, "key": key, "text": self.text_field(table, "text", key),
            "topic": self.text_field(table, "topic", key),
            "justification": self.text_field(table, "justification", key),
            "tolerance": self.tolerance(table, key),
            "points": self.points(table, key),
            "credit": read_credit(self, table["credit"], f"{key}.credit", own)
            if "credit" in table else {},
        }
        if mistakes and table.get("kind", "value") != "value":
            raise self.fail(f"{key}.mistakes", "a true/false ask has no wrong values to name")
        common["mistakes"] = mistakes
        if table.get("kind", "value") == "truefalse":
            return self.truefalse(table, key, common)
        if table.get("kind", "value") != "value":
            raise self.fail(f"{key}.kind", "kind must be 'value' or 'truefalse'")
        return Ask(**common, **self.value_ask(table, key))

    def tolerance(self, table: dict[str, Any], key: str) -> float | None:
        value = table.get("tolerance")
        if value is None:
            return None
        if not isinstance(value, int | Decimal) or not 0 < value < 1:
            raise self.fail(f"{key}.tolerance", "expected a relative tolerance between 0 and 1")
        return float(value)

    def points(self, table: dict[str, Any], key: str) -> float:
        value = table.get("points", 1)
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or value < 0:
            raise self.fail(f"{key}.points", "expected a number of points (0 or more)")
        return float(value)

    def value_ask(self, table: dict[str, Any], key: str) -> dict[str, Any]:
        sources = [k for k in ("formula", "equation", "expr") if k in table]
        if len(sources) != 1:
            raise self.fail(key, "an ask needs exactly one of 'formula' (a library id), "
                            "'equation' (\"lhs = rhs\") or 'expr' (a definition)")
        fields: dict[str, Any] = {"bind": self.binds(table.get("bind", {}), f"{key}.bind")}
        if "formula" in table:
            fields["formula"] = self.text_field(table, "formula", key)
        elif "equation" in table:
            fields["equation"] = self.equation(table["equation"], f"{key}.equation")
        else:
            fields["equation"] = (parse(table["id"]), self.expression(table["expr"],
                                                                       f"{key}.expr"))
        for name in ("solve_for", "unit"):
            if name in table:
                fields[name] = self.text_field(table, name, key)
        fields.update(self.display_fields(table, key))
        return fields

    def display_fields(self, table: dict[str, Any], key: str) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        sig = table.get("sig", DEFAULT_SIG)
        if not isinstance(sig, int) or isinstance(sig, bool) or not 1 <= sig <= 15:
            raise self.fail(f"{key}.sig", "sig (significant figures) must be a whole number "
                            "from 1 to 15")
        fields["sig"] = sig
        if "integer" in table:
            if table["integer"] not in INTEGER_MODES:
                raise self.fail(f"{key}.integer", f"integer must be one of {INTEGER_MODES}")
            fields["integer"] = table["integer"]
        independent = table.get("independent_of", [])
        if not isinstance(independent, list) or not all(
                isinstance(n, str) and ID_PATTERN.match(n) for n in independent):
            raise self.fail(f"{key}.independent_of", "expected a list of symbol names "
                            "(letters, digits, _)")
        fields["independent_of"] = tuple(independent)
        if "between" in table:
            bounds = table["between"]
            if not isinstance(bounds, list) or len(bounds) != 2:
                raise self.fail(f"{key}.between", "expected [low, high]: where to look for "
                                "a root when the equation has no closed form")
            fields["between"] = tuple(self.expression(b, f"{key}.between") for b in bounds)
        return fields

    def equation(self, value: Any, key: str) -> tuple[Parsed, Parsed]:
        if not isinstance(value, str) or value.count("=") != 1:
            raise self.fail(key, "an equation is a string with one '=': \"C = 6 * N * D\"")
        lhs, rhs = value.split("=")
        return self.expression(lhs, key), self.expression(rhs, key)

    def binds(self, table: Any, key: str) -> dict[str, Parsed]:
        if not isinstance(table, dict):
            raise self.fail(key, "bind is a table: { symbol = \"expression\" }")
        return {name: self.expression(value, f"{key}.{name}") for name, value in table.items()}

    def truefalse(self, table: dict[str, Any], key: str, common: dict[str, Any]) -> Ask:
        claim = self.text_field(table, "claim", key)
        if not claim:
            raise self.fail(f"{key}.claim", "a true/false ask needs the claim, in prose")
        ways = [k for k in ("holds", "derivative", "answer") if k in table]
        if len(ways) != 1:
            raise self.fail(key, "a true/false ask needs exactly one of 'holds' (a comparison "
                            "the engine evaluates), 'derivative' (a sign to check) or 'answer' "
                            "(true/false, with a 'justification')")
        if ways == ["holds"]:
            truth = Claim(holds=self.expression(table["holds"], f"{key}.holds", relation=True))
        elif ways == ["derivative"]:
            truth = Claim(derivative=self.derivative(table["derivative"], f"{key}.derivative"))
        else:
            if not isinstance(table["answer"], bool):
                raise self.fail(f"{key}.answer", "expected true or false")
            if not common["justification"]:
                raise self.fail(f"{key}.justification",
                                "a stated answer needs a justification")
            truth = Claim(answer=table["answer"])
        return Ask(**common, claim=claim, truth=truth,
                   bind=self.binds(table.get("bind", {}), f"{key}.bind"))

    def derivative(self, value: Any, key: str) -> dict[str, str]:
        allowed = {"formula", "of", "wrt", "sign"}
        if not isinstance(value, dict) or not {"formula", "wrt", "sign"} <= set(value):
            raise self.fail(key, "derivative = { formula = \"lora_params\", wrt = \"r\", "
                            "sign = \"positive\" }")
        self.check_keys(value, allowed, key)
        if value["sign"] not in ("positive", "negative", "zero"):
            raise self.fail(f"{key}.sign", "sign must be 'positive', 'negative' or 'zero'")
        return {k: str(v) for k, v in value.items()}


class _Reader(_AskReader):
    """Walks the TOML data; every error carries the key path and the line."""

    def sheet(self, data: dict[str, Any], name: str) -> Sheet:
        self.check_keys(data, SHEET_KEYS, "")
        problems = data.get("problems")
        if not isinstance(problems, list) or not problems:
            raise self.fail("problems", "a sheet needs at least one [[problems]] table")
        read = [self.problem(p, i) for i, p in enumerate(problems)]
        ids = [p.id for p in read]
        own = frozenset(m.id for p in read for a in p.asks for m in a.mistakes)
        for pid in ids:
            if ids.count(pid) > 1:
                raise self.fail(f"problems.{pid}", f"problem id {pid!r} is used twice")
        plots = data.get("plots", [])
        if not isinstance(plots, list):
            raise self.fail("plots", "expected [[plots]] tables")
        givens = self.givens(data.get("given", {}), "given")
        check_quotes(self, givens, tuple(read))
        random = read_random(self, data.get("random", {}), givens, tuple(read))
        variants = None
        if "variants" in data:
            variants = read_variants(self, data["variants"], random)
        elif random:
            raise self.fail("random", "a [random] table needs a [variants] table with a salt")
        return Sheet(name=name, title=self.text_field(data, "title", "", name),
                     course=self.text_field(data, "course", ""), file=self.file,
                     given=givens, problems=tuple(read), source=self.text,
                     plots=tuple(self.plot(p, i, ids) for i, p in enumerate(plots)),
                     grading=read_grading(self, data.get("grading", {}), own),
                     templates=self.output(data.get("output", {})),
                     random=random, variants=variants,
                     tests=read_tests(self, data.get("tests", []),
                                      [f"{p.id}.{a.id}" for p in read for a in p.asks],
                                      own))

    def output(self, table: Any) -> str:
        """The `[output]` table: where the sheet's own templates are (relative to it)."""
        if not isinstance(table, dict):
            raise self.fail("output", "expected an [output] table")
        self.check_keys(table, OUTPUT_KEYS, "output")
        folder = self.text_field(table, "templates", "output")
        problem = templates_problem(folder)
        if problem:
            raise self.fail("output.templates", problem)
        return folder

    def plot(self, table: Any, index: int, problem_ids: list[str]) -> Plot:
        key = f"plots.#{index + 1}"
        if not isinstance(table, dict) or not isinstance(table.get("id"), str):
            raise self.fail(key, "each [[plots]] table needs an id")
        key = f"plots.{table['id']}"
        self.check_keys(table, PLOT_KEYS, key)
        after = self.text_field(table, "after", key)
        if after and after not in problem_ids:
            raise self.fail(f"{key}.after", f"no problem {after!r} to place the plot after")
        fields: dict[str, Any] = {name: self.text_field(table, name, key)
                                  for name in ("title", "x", "y", "x_label", "y_label", "unit")}
        fields["show"] = self.text_field(table, "show", key, "solution")
        if fields["show"] not in ("solution", "question"):
            raise self.fail(f"{key}.show", "show must be 'solution' (the default) or "
                            "'question' (also on the question sheet)")
        kind = table.get("kind")
        if kind == "sweep":
            return self.sweep(table, key, after, fields)
        if kind == "bars":
            return self.bar_plot(table, key, after, fields)
        raise self.fail(f"{key}.kind", "kind must be 'sweep' or 'bars'")

    def sweep(self, table: dict[str, Any], key: str, after: str,
              fields: dict[str, Any]) -> Plot:
        for name in ("x", "y", "from", "to"):
            if name not in table:
                raise self.fail(key, f"a sweep plot needs {name!r}")
        marks = []
        for mark in table.get("marks", []):
            if not isinstance(mark, dict) or not {"x", "y"} <= set(mark):
                raise self.fail(f"{key}.marks", "each mark is { x = \"...\", y = \"...\", "
                                "label = \"...\" }")
            marks.append((self.expression(mark["x"], f"{key}.marks"),
                          self.expression(mark["y"], f"{key}.marks"),
                          str(mark.get("label", ""))))
        return Plot(id=table["id"], key=key, kind="sweep", after=after,
                    start=self.expression(table["from"], f"{key}.from"),
                    stop=self.expression(table["to"], f"{key}.to"),
                    log_x=bool(table.get("log_x", False)), marks=tuple(marks), **fields)

    def bar_plot(self, table: dict[str, Any], key: str, after: str,
                 fields: dict[str, Any]) -> Plot:
        bars = table.get("bars")
        if not isinstance(bars, list) or not bars:
            raise self.fail(f"{key}.bars", "a bars plot needs bars = [{ label, value }, ...]")
        read = []
        for bar in bars:
            if not isinstance(bar, dict) or not {"label", "value"} <= set(bar):
                raise self.fail(f"{key}.bars", "each bar is { label = \"...\", value = \"...\" }")
            read.append((str(bar["label"]), self.expression(bar["value"], f"{key}.bars")))
        return Plot(id=table["id"], key=key, kind="bars", after=after, bars=tuple(read),
                    **fields)

    def problem(self, table: Any, index: int) -> Problem:
        pid, key = self.identified(table, "problems", index, "problems", "E1", PROBLEM_KEYS)
        asks_data = table.get("asks")
        if not isinstance(asks_data, list) or not asks_data:
            raise self.fail(f"{key}.asks", "a problem needs at least one [[problems.asks]]")
        asks = tuple(self.ask(a, key, i) for i, a in enumerate(asks_data))
        seen = [a.id for a in asks]
        for aid in seen:
            if seen.count(aid) > 1:
                raise self.fail(f"{key}.asks.{aid}", f"ask id {aid!r} is used twice")
        return Problem(id=pid, title=self.text_field(table, "title", key),
                       statement=self.text_field(table, "statement", key),
                       topic=self.text_field(table, "topic", key),
                       given=self.givens(table.get("given", {}), f"{key}.given"), asks=asks)

    def givens(self, table: Any, key: str) -> dict[str, Given]:
        if not isinstance(table, dict):
            raise self.fail(key, "expected a table of name = value")
        return {name: self.given(name, value, f"{key}.{name}") for name, value in table.items()}

    def given(self, name: str, value: Any, key: str) -> Given:
        if not ID_PATTERN.match(name):
            raise self.fail(key, f"{name!r} is not a valid name (letters, digits, _)")
        if isinstance(value, dict):
            return self.given_table(name, value, key)
        return Given(name, self.expression(value, key), key=key)

    def given_table(self, name: str, table: dict[str, Any], key: str) -> Given:
        from derivations.library.units import UNITS

        self.check_keys(table, GIVEN_TABLE_KEYS, key)
        label = self.text_field(table, "label", key)
        if "dtype" in table or "optimizer" in table:
            value, named = self.named_bytes(table, key)
            return Given(name, parse(str(value)), "byte/parameter", label or named, key)
        if "format" in table:
            return Given(name, parse(str(self.format_field(name, table["format"], key))),
                         None, label or str(table["format"]), key)
        if "value" not in table:
            raise self.fail(key, "a given table needs 'value' (or 'dtype', 'optimizer' or "
                            "'format')")
        unit = table.get("unit")
        if unit is not None and unit not in UNITS:
            close = suggest(str(unit), UNITS, n=2)
            hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
            raise self.fail(f"{key}.unit", f"unknown unit {unit!r}{hint}")
        return Given(name, self.expression(table["value"], f"{key}.value"), unit, label, key)

    def format_field(self, name: str, format_name: Any, key: str) -> int:
        """A field of a named float format (`bias = { format = "fp16" }` is 15)."""
        from derivations.library.formats import FLOAT_FORMATS

        if format_name not in FLOAT_FORMATS:
            raise self.fail(f"{key}.format", f"unknown format {format_name!r}; expected one "
                            f"of {', '.join(FLOAT_FORMATS)}")
        fields = FLOAT_FORMATS[format_name]
        if name not in fields:
            raise self.fail(key, f"a format gives {', '.join(fields)}; {name!r} is none of "
                            "them")
        return fields[name]

    def named_bytes(self, table: dict[str, Any], key: str) -> tuple[Fraction, str]:
        from derivations.library.memory import DTYPE_BYTES, MASTER_COPY_BYTES, OPTIMIZER_BYTES

        if "dtype" in table:
            name, choices, what = table["dtype"], DTYPE_BYTES, "dtype"
        else:
            name, choices, what = table["optimizer"], OPTIMIZER_BYTES, "optimizer"
        if name not in choices:
            raise self.fail(f"{key}.{what}", f"unknown {what} {name!r}; expected one of "
                            f"{', '.join(choices)}")
        value = Fraction(str(choices[name]))
        label = str(name)
        if table.get("mixed_precision"):
            value += Fraction(str(MASTER_COPY_BYTES))
            label += " + fp32 master copy"
        return value, label
