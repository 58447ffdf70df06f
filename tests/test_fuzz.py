"""A fuzzer over sheets, answer files and file names, as a hostile or careless user writes
them. Whatever comes in: exit code 0, 1 or 2, never 3, never a traceback, bounded time.

Sheets are built from the real vocabulary (library formulas and their symbols, units,
functions of the expression language) so that the fuzzer reaches the solver, not only
the TOML reader; numbers include the huge, the tiny and the non-finite.
"""

from __future__ import annotations

import json
import time

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derivations.cli import main
from derivations.library import FORMULAS
from derivations.library.units import UNITS
from tests.conftest import PROBLEMS

SECONDS = 8.0  # per example; the limits inside derive stop far sooner
FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
FORMULA_IDS = sorted(FORMULAS)
NAMES = sorted({s for f in FORMULAS.values() for s in f.symbols})
FUNCTIONS = ["sqrt", "exp", "ln", "log2", "log10", "ceil", "floor", "round", "abs"]

numbers = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-999, 999),
              st.sampled_from([0, 3, 12, 308, 309, -300, -324, 400, 4000, 99999999])),
    st.sampled_from(["1e99999999", "0", "-0", "0.5", "1_000", "9" * 80, ".5", "1."]),
)
atoms = st.one_of(numbers, st.sampled_from(NAMES), st.sampled_from(["pi", "E1.C", "P.x"]))


@st.composite
def expressions(draw, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(atoms)
    kind = draw(st.sampled_from(["op", "call", "paren", "list", "junk"]))
    if kind == "op":
        op = draw(st.sampled_from(["+", "-", "*", "/", "^", "**", "%", "<", "//"]))
        return f"{draw(expressions(depth - 1))} {op} {draw(expressions(depth - 1))}"
    if kind == "call":
        return f"{draw(st.sampled_from(FUNCTIONS))}({draw(expressions(depth - 1))})"
    if kind == "paren":
        return f"({draw(expressions(depth - 1))})"
    if kind == "list":
        return "[" + ", ".join(draw(st.lists(numbers, min_size=0, max_size=4))) + "]"
    return draw(st.sampled_from(["__import__('os')", "x.__class__", "lambda: 1", "'s'",
                                 "a if b else c", "[x for x in y]", "f(x=1)", "", " "]))


texts = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=10))
moderate = st.one_of(st.integers(1, 10**6).map(str),
                     st.floats(1e-3, 1e13, allow_nan=False).map(lambda x: f"{x:.4g}"))


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


hostile_values = st.one_of(
    expressions().map(toml_string), numbers.filter(lambda n: "_" not in n),
    st.sampled_from(["nan", "inf", "-inf", "true", "[1, 2]", '{ dtype = "fp16" }',
                     '{ value = 48, unit = "GB" }', '{ value = 1, unit = "parsec" }',
                     "1979-05-27"]))


@st.composite
def sheets(draw) -> str:
    """Mostly well-formed sheets (every input of a formula given a plausible value),
    with hostile values, names and text mixed in, so every stage gets exercised."""
    focus = FORMULAS[draw(st.sampled_from(FORMULA_IDS))]
    hostile = draw(st.integers(0, 3)) == 0  # a quarter of the sheets carry hostile values
    givens = {name: draw(st.one_of(moderate, hostile_values) if hostile else moderate)
              for name in focus.symbols[1:]}
    if hostile:
        givens.update(draw(st.dictionaries(st.sampled_from(NAMES), hostile_values,
                                           max_size=2)))
    lines = [f"title = {toml_string(draw(texts))}", "[given]"]
    lines += [f"{name} = {value}" for name, value in givens.items()]
    for index in range(draw(st.sampled_from([1, 1, 1, 2]))):
        lines += ["[[problems]]", f'id = "P{index}"',
                  f"statement = {toml_string(draw(texts))}"]
        for ask in range(draw(st.integers(1, 2))):
            lines += ["[[problems.asks]]", f'id = "a{ask}"']
            source = draw(st.sampled_from(["focus"] * 6 + ["formula", "expr", "equation"]))
            if source in ("formula", "focus"):
                item = focus if source == "focus" else FORMULAS[draw(st.sampled_from(
                    FORMULA_IDS))]
                lines.append(f'formula = "{item.id}"')
                if draw(st.booleans()):
                    lines.append(f'solve_for = "{draw(st.sampled_from(item.symbols))}"')
            elif source == "expr":
                lines.append(f"expr = {toml_string(draw(expressions()))}")
            else:
                lines.append(f'equation = {toml_string("y = " + draw(expressions()))}')
                lines.append('solve_for = "y"')
            if draw(st.integers(0, 3)) == 0:
                lines.append(f"unit = {toml_string(draw(st.sampled_from(sorted(UNITS))))}")
            if draw(st.integers(0, 5)) == 0:
                lines.append(f'integer = "{draw(st.sampled_from(["ceil", "floor", "x"]))}"')
    if draw(st.booleans()):
        lines += ["[[plots]]", 'id = "p"', 'kind = "sweep"',
                  f'x = "{draw(st.sampled_from(sorted(givens) or ["N"]))}"', 'y = "P0.a0"',
                  f"from = {draw(numbers)}", f"to = {draw(numbers)}",
                  f"log_x = {draw(st.sampled_from(['true', 'false']))}"]
    return "\n".join(lines) + "\n"


def invoke(args: list[str]):
    start = time.perf_counter()
    result = CliRunner().invoke(main, args)
    elapsed = time.perf_counter() - start
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, args)
    assert "Traceback" not in result.output and "internal error" not in result.output, \
        result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert elapsed < SECONDS, (elapsed, args)
    return result


@FUZZ
@given(sheet=sheets())
def test_fuzzed_sheets_solve_or_fail_cleanly(tmp_path_factory, sheet):
    path = tmp_path_factory.mktemp("fuzz") / "sheet.toml"
    path.write_text(sheet, encoding="utf-8")
    for fmt in ("text", "json"):
        invoke(["solve", str(path), "--format", fmt])


@FUZZ
@given(sheet=sheets())
def test_fuzzed_sheets_render_tex_or_fail_cleanly(tmp_path_factory, sheet):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "sheet.toml"
    path.write_text(sheet, encoding="utf-8")
    result = invoke(["build", str(path), "-o", str(folder / "out"), "-q", "--tex-only"])
    if result.exit_code != 0:
        assert not (folder / "out" / "sheet.tex").exists()  # no partial output


@FUZZ
@given(data=st.binary(max_size=300))
def test_fuzzed_bytes_as_a_sheet(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "sheet.toml"
    path.write_bytes(data)
    invoke(["solve", str(path)])


answers = st.one_of(
    numbers, texts, expressions(),
    st.builds(lambda n, u: f"{n} {u}", numbers, st.sampled_from(sorted(UNITS) + ["bytes",
                                                                              "trillion"])),
    st.sampled_from(["1e309", "1e-300", "5e-324", "[1e400,1,2,3]", "1 x 10^400", "1e300 TB",
                     "true", "≈ 1.65e24", "1,896", "18 874 368", "=1+1", "@x", "-", ""]),
)
nested = st.recursive(answers, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=2)),
    max_leaves=12)
ANSWER_IDS = ["E1.C", "E1.L", "E2.D_new", "E4.bytes_one", "E5.bytes", "E6.bytes", "E7.rank"]


@FUZZ
@given(rows=st.lists(st.lists(nested, min_size=len(ANSWER_IDS), max_size=len(ANSWER_IDS)),
                     min_size=1, max_size=5),
       fmt=st.sampled_from(["text", "json", "csv"]))
def test_fuzzed_answer_files_grade_cleanly(tmp_path_factory, rows, fmt):
    folder = tmp_path_factory.mktemp("fuzz")
    as_json = folder / "a.json"
    as_json.write_text(json.dumps([{"student": f"s{i}", "answers": dict(zip(ANSWER_IDS, row,
                                                                          strict=True))}
                                   for i, row in enumerate(rows)]), encoding="utf-8")
    invoke(["check", str(PROBLEMS / "genai_week4.toml"), str(as_json), "--format", fmt])


@FUZZ
@given(text=st.text(max_size=400))
def test_fuzzed_csv_text_grades_or_fails_cleanly(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "a.csv"
    path.write_text("student,E1.C,E7.rank\n" + text, encoding="utf-8")
    invoke(["check", str(PROBLEMS / "genai_week4.toml"), str(path)])


@FUZZ
@given(name=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"],
                                  exclude_characters="/\x00"), min_size=1, max_size=30))
def test_fuzzed_file_names(tmp_path_factory, name):
    folder = tmp_path_factory.mktemp("fuzz")
    try:
        path = folder / f"{name}.toml"
        path.write_text((PROBLEMS / "dlp_week4.toml").read_text(), encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        return  # a name this file system cannot hold
    invoke(["solve", str(path), "--format", "json", "-o", str(folder / f"{name}.json")])
    invoke(["build", str(path), "-o", str(folder / "out"), "-q", "--tex-only"])


def test_deeply_nested_state_file_is_ignored(tmp_path):
    from derivations.render.build import STATE_FILE, _read_state

    (tmp_path / STATE_FILE).write_text("[" * 100_000 + "]" * 100_000)
    assert _read_state(tmp_path) == {}
