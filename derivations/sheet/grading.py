"""Reading a sheet's marking policy: `[grading]` (with its credit table and curve), an
ask's own `credit`, and the question tests of `[[tests]]` (docs/grading.md).

Only the shape is checked here: shares from 0 to 1, credit keys that are diagnoses the
grader can name (a typo would silently give no credit), tests that name a real answer.
Whether a test passes is decided by `derive test`, which marks it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Protocol

from derivations.errors import SpecError, suggest
from derivations.library.slips import FIGURES, GENERAL, UNNAMED, mistake_ids
from derivations.sheet.expr import Parsed
from derivations.sheet.model import Grading, SheetMistake, SheetTest


class SheetReader(Protocol):
    """What these tables need from the sheet's reader (`sheet.spec`): located errors."""

    def fail(self, key: str, message: str) -> SpecError: ...

    def check_keys(self, table: dict[str, Any], allowed: set[str], key: str) -> None: ...

    def text_field(self, table: dict[str, Any], name: str, key: str,
                   default: str = "") -> str: ...

    def expression(self, value: Any, key: str) -> Parsed: ...

#: The verdicts grading gives, best first (the `derive check --format json` contract).
VERDICTS = ("correct", "correct-with-rounding", "carried-forward", "wrong", "unparsed",
            "missing")
GRADING_KEYS = {"tolerance", "carried_forward", "carried_unnamed", "carried_trivial",
                "rounding", "credit", "curve", "figures", "exact", "overclaim", "underclaim"}
TEST_KEYS = {"answer", "text", "given", "variant", "verdict", "diagnosis", "credit",
             "feedback"}
MAX_FIGURES = 15
_ANSWER_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*")
_VARIANT = re.compile(r"v\d{2,4}")
_MISTAKE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")


def read_grading(reader: SheetReader, table: Any, own: frozenset[str] = frozenset()
                 ) -> Grading:
    """The `[grading]` table (`own`: the mistake ids the sheet's asks declare)."""
    if not isinstance(table, dict):
        raise reader.fail("grading", "expected a [grading] table")
    reader.check_keys(table, GRADING_KEYS, "grading")
    values: dict[str, Any] = {}
    for name in ("tolerance", "carried_forward", "carried_unnamed", "carried_trivial",
                 "rounding", "overclaim", "underclaim"):
        if name in table:
            values[name] = share(reader, table[name], f"grading.{name}",
                                 below_one=name == "tolerance")
    if "credit" in table:
        values["credit"] = read_credit(reader, table["credit"], "grading.credit", own)
    if "curve" in table:
        values["curve"] = _curve(reader, table["curve"])
    if "figures" in table:
        values["figures"] = _figures(reader, table["figures"])
    if "exact" in table:
        exact = table["exact"]
        if not isinstance(exact, list) or not all(isinstance(n, str) for n in exact):
            raise reader.fail("grading.exact", "expected a list of given names, such as "
                              "[\"E\", \"A\", \"B\"]")
        values["exact"] = tuple(exact)
    return Grading(**values)


def share(reader: SheetReader, value: Any, key: str, below_one: bool = False) -> float:
    """A share of the points (or a relative tolerance): a number from 0 to 1."""
    upper = 1 if below_one else 1.0000001
    if isinstance(value, bool) or not isinstance(value, int | Decimal) \
            or not 0 <= value < upper:
        raise reader.fail(key, "expected a number from 0 to 1")
    return float(value)


def read_mistakes(reader: SheetReader, table: Any, key: str) -> tuple[SheetMistake, ...]:
    """An ask's own named mistakes: `{ id = "wrong expression" }`, or
    `{ id = { expr = "...", feedback = "..." } }` (what `derive analyse` proposes)."""
    if not isinstance(table, dict):
        raise reader.fail(key, "expected a table of mistake id = \"expression\", such as "
                          "{ swapped_N_D = \"6 * D * N\" }")
    found = []
    for name, value in table.items():
        where = f"{key}.{name}"
        if not _MISTAKE_ID.fullmatch(name):
            raise reader.fail(where, "a mistake id is letters, digits and _")
        if name in GENERAL or name == UNNAMED:
            raise reader.fail(where, f"{name!r} is a mistake the grader names already; "
                              "choose another id")
        entry = value if isinstance(value, dict) else {"expr": value}
        reader.check_keys(entry, {"expr", "feedback"}, where)
        if not isinstance(entry.get("expr"), str):
            raise reader.fail(where, "expected the wrong value as an expression string "
                              "over the ask's symbols, such as \"6 * D * N\"")
        found.append(SheetMistake(name, reader.expression(entry["expr"], f"{where}.expr"),
                                  reader.text_field(entry, "feedback", where)))
    return tuple(found)


def read_credit(reader: SheetReader, table: Any, key: str,
                own: frozenset[str] = frozenset()) -> dict[str, float]:
    """A credit table: diagnosis id (or `other`) -> share of the points (`own`: the
    mistake ids the sheet declares itself)."""
    if not isinstance(table, dict):
        raise reader.fail(key, "expected a table of diagnosis = share, such as "
                          "{ power_of_ten = 0.25, other = 0 }")
    known = mistake_ids() | own | {UNNAMED}
    found = {}
    for name, value in table.items():
        if name not in known:
            close = suggest(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise reader.fail(f"{key}.{name}", f"no mistake is called {name!r}{hint}; the "
                              "ids are a formula's mistakes (`derive formulas --format "
                              "json`), the general ones in docs/grading.md, and 'other'")
        found[name] = share(reader, value, f"{key}.{name}")
    return found


def _curve(reader: SheetReader, value: Any) -> tuple[tuple[float, float], ...]:
    """`[[0.05, 0.5], [0.1, 0.25]]`: within 5% earns half, within 10% a quarter."""
    wrong = reader.fail("grading.curve", "expected pairs [relative error, share], such "
                        "as [[0.05, 0.5], [0.1, 0.25]], with growing errors and shrinking "
                        "shares")
    if not isinstance(value, list) or not value:
        raise wrong
    pairs = []
    for item in value:
        if not isinstance(item, list) or len(item) != 2:
            raise wrong
        error = share(reader, item[0], "grading.curve", below_one=True)
        pairs.append((error, share(reader, item[1], "grading.curve")))
    if any(a[0] >= b[0] or a[1] < b[1] for a, b in zip(pairs, pairs[1:], strict=False)):
        raise wrong
    return tuple(pairs)


def _figures(reader: SheetReader, value: Any) -> int | str:
    if value == "derived":
        return value
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_FIGURES:
        raise reader.fail("grading.figures", "expected \"derived\" (the figures the "
                          "givens' precision supports) or a number of significant figures "
                          f"from 1 to {MAX_FIGURES}")
    return value


def read_tests(reader: SheetReader, tests: Any, answer_ids: list[str],
               own: frozenset[str] = frozenset()) -> tuple[SheetTest, ...]:
    """The `[[tests]]` tables, each checked against the sheet's answer ids (`own`: the
    mistake ids the sheet declares)."""
    if not isinstance(tests, list):
        raise reader.fail("tests", "expected [[tests]] tables")
    return tuple(_test(reader, table, f"tests.#{index + 1}", answer_ids, own)
                 for index, table in enumerate(tests))


def _test(reader: SheetReader, table: Any, key: str, answer_ids: list[str],
          own: frozenset[str]) -> SheetTest:
    if not isinstance(table, dict):
        raise reader.fail(key, "expected a [[tests]] table")
    reader.check_keys(table, TEST_KEYS, key)
    answer = _answer_id(reader, table.get("answer"), f"{key}.answer", answer_ids)
    if not isinstance(table.get("text"), str):
        raise reader.fail(f"{key}.text", "expected the answer's text, such as "
                          "\"{E1.C:3} FLOP\" or \"1.2e21\"")
    text = reader.text_field(table, "text", key)
    given = table.get("given", {})
    if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
        raise reader.fail(f"{key}.given", "expected a table of answer id = text")
    written = {_answer_id(reader, k, f"{key}.given", answer_ids): v for k, v in given.items()}
    variant = reader.text_field(table, "variant", key)
    if variant and variant != "all" and not _VARIANT.fullmatch(variant):
        raise reader.fail(f"{key}.variant", "expected a variant id such as v07, or \"all\"")
    verdict = table.get("verdict")
    if verdict is not None and verdict not in VERDICTS:
        raise reader.fail(f"{key}.verdict", f"expected one of {', '.join(VERDICTS)}")
    diagnoses = table.get("diagnosis", [])
    diagnoses = [diagnoses] if isinstance(diagnoses, str) else diagnoses
    known = mistake_ids() | set(FIGURES) | own
    if not isinstance(diagnoses, list) or not all(isinstance(d, str) and d in known
                                                   for d in diagnoses):
        raise reader.fail(f"{key}.diagnosis", "expected a mistake id (or a list of them) "
                          "the grader can name; see docs/grading.md")
    credit = share(reader, table["credit"], f"{key}.credit") if "credit" in table else None
    return SheetTest(key, answer, text, written, variant, verdict, tuple(diagnoses), credit,
                     reader.text_field(table, "feedback", key))


def _answer_id(reader: SheetReader, value: Any, key: str, answer_ids: list[str]) -> str:
    if not isinstance(value, str) or not _ANSWER_ID.fullmatch(value):
        raise reader.fail(key, "expected an answer id such as E1.C")
    if value not in answer_ids:
        close = suggest(value, answer_ids, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise reader.fail(key, f"the sheet has no answer {value!r}{hint}")
    return value
