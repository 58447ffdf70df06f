"""What three sheets written from the docs alone found (issue 26), each checked against
arithmetic done here."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from derivations.cli import main
from derivations.library.units import UNITS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "sheet-format.md"


def solve(runner, sheet_file, text: str, *args: str):
    return runner.invoke(main, ["solve", str(sheet_file(text)), *args])


def test_a_negative_float_solves_and_its_sign_bit_has_no_elasticity(runner, sheet_file):
    result = solve(runner, sheet_file, """title = "t"
[[problems]]
id = "E1"
[problems.given]
s_bit = 1
e_bits = 16
bias = 15
f_bits = 584
p_bits = 10
[[problems.asks]]
id = "x"
formula = "float_value"
""", "--format", "json")
    assert result.exit_code == 0, result.output
    expected = -(2 ** (16 - 15)) * (1 + 584 / 2**10)  # -3.140625
    assert f"{expected}" in result.output.replace("-3.140625e+00", "-3.140625")


ZEROPOINT = """title = "t"
[[problems]]
id = "E1"
[problems.given]
w = 1.13
w_min = -0.57
w_max = 1.13
[[problems.asks]]
id = "s"
formula = "zeropoint_scale"
[[problems.asks]]
id = "z"
formula = "zeropoint_offset"
bind = { s = "E1.s" }
[[problems.asks]]
id = "q"
formula = "zeropoint_quantize"
bind = { s = "E1.s", z = "E1.z" }
"""


def test_a_zero_point_code_is_clipped_to_int8_and_128_is_a_named_mistake(runner, sheet_file,
                                                                       tmp_path):
    s = 255 / (1.13 - -0.57)                      # 150
    z = -math.floor(abs(s * -0.57) + 0.5) * -1 - 128  # -round(-85.5) - 128 = -42
    unclipped = math.floor(s * 1.13 + z + 0.5)    # round(127.5) = 128
    assert (round(s), z, unclipped) == (150, -42, 128)
    path = sheet_file(ZEROPOINT)
    result = runner.invoke(main, ["solve", str(path)])
    assert result.exit_code == 0, result.output
    assert re.search(r"answer\s+q = 127\b", result.output)
    assert "clip(round(s*w + z))" in result.output
    answers = tmp_path / "a.csv"
    answers.write_text("student,E1.q\nana,128\nbo,127\n", encoding="utf-8")
    graded = runner.invoke(main, ["check", str(path), str(answers), "--format", "json"])
    assert '"not_clipped"' in graded.output, graded.output


def test_every_display_unit_is_in_the_docs_and_tokens_per_parameter_exists():
    text = DOCS.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `unit` |"))
    assert all(f"`{unit}`" in row for unit in UNITS)
    assert UNITS["token/parameter"].canonical == "token/parameter"


def test_a_bind_that_uses_the_unknown_is_refused_with_the_way_out(runner, sheet_file):
    result = solve(runner, sheet_file, """title = "t"
[given]
C = 1e24
[[problems]]
id = "E1"
[[problems.asks]]
id = "N"
formula = "training_compute"
solve_for = "N"
bind = { D = "20 * N" }
""")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "sheet.toml:10: [problems.E1.asks.N.bind.D]" in result.stderr
    assert "uses N, the unknown this ask solves for" in result.stderr
    assert 'solve_for = "N"' in result.stderr


def test_a_refused_operator_is_named_as_written_at_its_column(runner, sheet_file):
    result = solve(runner, sheet_file, """title = "t"
[given]
N = 7
[[problems]]
id = "E1"
[[problems.asks]]
id = "y"
equation = "y = N % 3"
""")
    assert result.exit_code == 2
    assert "operator '%' is not allowed" in result.stderr and "Mod" not in result.stderr
    assert "at column 3 in expression 'N % 3'" in result.stderr


def test_a_missing_given_is_never_suggested_as_the_ask_itself(runner, sheet_file):
    result = solve(runner, sheet_file, """title = "t"
[given]
D = 1e12
[[problems]]
id = "E1"
[[problems.asks]]
id = "N_20"
equation = "N_20 = D / 20 + N"
""")
    assert result.exit_code == 2
    assert "missing given 'N'" in result.stderr and "N_20'?" not in result.stderr


def test_several_numeric_roots_are_named_by_the_roots_themselves(runner, sheet_file):
    # exp(N/10) = N + sqrt(N) + ln N has two positive roots; found here by bisection
    def f(x: float) -> float:
        return math.exp(x / 10) - x - math.sqrt(x) - math.log(x)

    def root(low: float, high: float) -> float:
        for _ in range(200):
            middle = (low + high) / 2
            low, high = (low, middle) if f(low) * f(middle) <= 0 else (middle, high)
        return low

    first, second = root(0.1, 1), root(30, 50)
    result = solve(runner, sheet_file, """title = "t"
[[problems]]
id = "E1"
[[problems.asks]]
id = "N"
equation = "exp(N / 10) = N + sqrt(N) + log(N)"
solve_for = "N"
""")
    assert result.exit_code == 2
    assert f"({first:.4g} and {second:.4g})" in result.stderr, result.stderr
    assert "between = [low, high]" in result.stderr


NAMED_FORMAT = """title = "t"
[[problems]]
id = "E1"
[problems.given]
k_bits = {{ format = "{name}" }}
p_bits = {{ format = "{name}" }}
bias = {{ format = "{name}" }}
[[problems.asks]]
id = "m"
formula = "float_max"
"""


@pytest.mark.parametrize(("name", "k", "p", "bias"), [
    ("fp16", 5, 10, 15), ("bf16", 8, 7, 127), ("fp32", 8, 23, 127), ("fp8_e5m2", 5, 2, 15)])
def test_a_float_format_by_name_gives_its_fields(runner, sheet_file, name, k, p, bias):
    largest = (2 - 2.0**-p) * 2.0 ** (2**k - 2 - bias)  # IEEE: 65504 for fp16
    result = runner.invoke(main, ["solve", str(sheet_file(NAMED_FORMAT.format(name=name))),
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    value = json.loads(result.output)["answers"]["E1.m"]["value"]
    assert value == pytest.approx(largest, rel=1e-15)


@pytest.mark.parametrize(("table", "fragment"), [
    ('{ format = "fp12" }', "[problems.E1.given.k_bits.format] unknown format 'fp12'"),
    ('{ format = "fp16" }\nx_fp = { format = "fp16" }', "'x_fp' is none of them"),
])
def test_a_bad_format_is_located(runner, sheet_file, table, fragment):
    text = NAMED_FORMAT.format(name="fp16").replace('k_bits = { format = "fp16" }',
                                                    f"k_bits = {table}")
    result = runner.invoke(main, ["solve", str(sheet_file(text))])
    assert result.exit_code == 2 and fragment in result.stderr, result.stderr
