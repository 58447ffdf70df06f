"""Grading: parsing what students write, every verdict, diagnoses, carried-forward."""

from __future__ import annotations

import csv
import json
import math
import random
import tomllib
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations.cli import main
from derivations.grade.grader import Grader
from derivations.library.units import UNITS
from derivations.read.answer import Boolean, Number, Unparsed, Vector
from derivations.read.answer import read_answer as parse_answer
from tests.conftest import PROBLEMS
from tests.solver.test_reference_values import ALPHA, BETA, D2, L1, A, D, E, N, tokens_for

GENAI = str(PROBLEMS / "genai_week4.toml")
DLP = str(PROBLEMS / "dlp_week4.toml")


@pytest.fixture(scope="module")
def graders(solved):
    return {name: Grader(solution) for name, solution in solved.items()}


# -- parsing --------------------------------------------------------------------------
@pytest.mark.parametrize("text,value,unit", [
    ("1.65e24", Fraction(165, 100) * 10**24, None),
    ("1.65 x 10^24", Fraction(165, 100) * 10**24, None),
    ("1.65×10²⁴", Fraction(165, 100) * 10**24, None),
    ("1.65 × 10^24 FLOPs", Fraction(165, 100) * 10**24, "FLOP"),
    ("1,648,200", Fraction(1648200), None),
    ("6.48 trillion", Fraction(648, 100) * 10**12, None),
    ("7.5T tokens", Fraction(75, 10) * 10**12, "token"),
    ("54 GB", Fraction(54), "GB"),
    ("54 GiB", Fraction(54), "GiB"),
    ("5.8e10 bytes", Fraction(58) * 10**9, "B"),
    ("18 MB", Fraction(18), "MB"),
    ("36 MiB", Fraction(36), "MiB"),
    ("2.64 epochs", Fraction(264, 100), "epoch"),
    ("28", Fraction(28), None),
    ("2.85%", Fraction(285, 100), "%"),
    ("−9", Fraction(-9), None),
    ("7B params", Fraction(7 * 10**9), "parameter"),
])
def test_parse_numbers(text, value, unit):
    parsed = parse_answer(text)
    assert isinstance(parsed, Number)
    written = (parsed.unit.canonical, parsed.unit.factor) if parsed.unit else None
    assert parsed.value == value
    assert written == ((UNITS[unit].canonical, UNITS[unit].factor) if unit else None)


@pytest.mark.parametrize("text,value", [("true", True), ("False", False), ("T", True),
                                        ("f", False), ("yes", True)])
def test_parse_booleans(text, value):
    assert parse_answer(text) == Boolean(value, text)


def test_parse_vector():
    parsed = parse_answer("[49, -20, 127, -111]")
    assert isinstance(parsed, Vector) and parsed.values == (49, -20, 127, -111)


@pytest.mark.parametrize("text", ["__import__('os').system('id')", "nan", "inf", "NaN",
                                  "-inf", "1e99999", "12 parsecs", "x" * 500,
                                  "1.5.5", "e24", "1 2 3 4", "1٣", "\\input{/etc/passwd}"])
def test_hostile_answers_are_unparsed(text):
    assert isinstance(parse_answer(text), Unparsed)


@pytest.mark.parametrize("text,value", [("٣", 3), ("１２", 12), ("१२", 12)])
def test_digits_of_other_scripts_are_read(text, value):
    """CLDR numbering systems (arab, fullwide, deva): a digit is a digit."""
    parsed = parse_answer(text)
    assert isinstance(parsed, Number) and parsed.value == value


def test_empty_answers_are_missing():
    assert parse_answer("") is None and parse_answer("   ") is None and parse_answer(None) is None


def test_ten_megabyte_answer(graders):
    result = graders["genai_week4"].grade("huge", {"E1.C": "9" * 10_000_000})
    assert result.answers["E1.C"].verdict == "unparsed"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_graded_without_exception(graders, text):
    result = graders["genai_week4"].grade("h", {"E1.C": text, "E2.D_new": text, "E7.rank": text})
    assert {v.verdict for v in result.answers.values()} <= {
        "correct", "correct-with-rounding", "carried-forward", "wrong", "unparsed", "missing"}


# -- verdicts ---------------------------------------------------------------------------
def verdict(graders, sheet, answers, answer_id):
    return graders[sheet].grade("s", answers).answers[answer_id]


def test_correct_with_and_without_units(graders):
    for text in ("1.648e24", "1.65 x 10^24 FLOP", "1648.2e21", "1.6482×10²⁴ flops"):
        assert verdict(graders, "genai_week4", {"E1.C": text}, "E1.C").verdict == "correct"
    assert verdict(graders, "genai_week4", {"E5.bytes": "54 GiB"}, "E5.bytes").verdict == \
        "correct"
    assert verdict(graders, "genai_week4", {"E5.bytes": "57.98 GB"}, "E5.bytes").verdict == \
        "correct"
    assert verdict(graders, "genai_week4", {"E5.bytes": "54"}, "E5.bytes").verdict == "correct"


def test_bare_number_is_read_in_the_asked_unit(graders):
    assert verdict(graders, "dlp_week4", {"Q3.bytes": "28"}, "Q3.bytes").verdict == "correct"


def test_rounded_intermediate_is_accepted_and_named(graders):
    rounded = tokens_for(1.88, N)  # target loss rounded to 3 significant figures
    assert abs(rounded / D2 - 1) > 0.05  # far outside the 1% tolerance
    result = verdict(graders, "genai_week4", {"E2.D_new": f"{rounded:.4g}"}, "E2.D_new")
    assert result.verdict == "correct-with-rounding"
    assert "rounding E2.L_target to 3 significant figures" in result.feedback
    assert result.points == 1.0


def test_seed_answer_for_tokens_is_correct_with_rounding(graders):
    result = verdict(graders, "genai_week4", {"E2.D_new": "6.48e12"}, "E2.D_new")
    assert result.verdict == "correct-with-rounding"


def test_wrong_missing_unparsed(graders):
    result = graders["genai_week4"].grade("s", {"E1.C": "3e20", "E1.L": "about two"})
    assert result.answers["E1.C"].verdict == "wrong"
    assert result.answers["E1.L"].verdict == "unparsed"
    assert result.answers["E2.C_new"].verdict == "missing"
    assert result.score == 0


def test_truefalse_and_vectors(graders):
    result = graders["dlp_week4"].grade("s", {"Q2.answer": "false", "Q6.answer": "F",
                                              "Q7.answer": "maybe", "Q8.answer": "1"})
    verdicts = {aid: v.verdict for aid, v in result.answers.items() if aid.endswith("answer")}
    assert verdicts == {"Q2.answer": "correct", "Q6.answer": "wrong",
                        "Q7.answer": "unparsed", "Q8.answer": "correct"}
    lecture = graders["lecture_examples"].grade("s", {"L6.q_absmax": "[49, -20, 127, -111]",
                                                      "L6.q_zp": "[44, -31, 127, -127]"})
    assert lecture.answers["L6.q_absmax"].verdict == "correct"
    assert lecture.answers["L6.q_zp"].verdict == "wrong"


LORA_ONE = 2 * 4 * 12288 * 96
MISTAKES = [
    ("genai_week4", "E6.params", str(LORA_ONE), "one_lora_matrix"),
    ("genai_week4", "E6.params", str(2 * 4 * 24576), "forgot_layers"),
    ("genai_week4", "E5.params", str(2 * 12288**2), "forgot_layers"),
    ("genai_week4", "E5.bytes", "54 GB", "decimal_binary"),
    ("genai_week4", "E4.bytes_one", "325.96 GB", "decimal_binary"),
    ("genai_week4", "E6.bytes", "36 MB", "decimal_binary"),
    ("genai_week4", "E2.extra_epochs", f"{math.log2(1 / (1 - D2 / (2 * D))):.4f}",
     "total_epochs"),
    ("genai_week4", "E1.C", f"{2 * N * D:.4g}", "forward_only"),
    ("genai_week4", "E1.C", f"{6 * N * D / 10:.4g}", "power_of_ten"),
    ("genai_week4", "E3.N_new", f"{2 * 1.41 * N:.4g}", "factor_of_2"),
    ("genai_week4", "E5.bytes", "54 FLOP", "wrong_unit"),
    ("genai_week4", "E6.bytes", f"{LORA_ONE * 2} parameters", "parameters_for_bytes"),
    ("genai_week4", "E6.params", "37.75 MB", "bytes_for_parameters"),
    ("dlp_week4", "Q5.head_params", "16392", "bias_counted"),
    ("dlp_week4", "Q5.head_params", "14336", "bias_subtracted"),
    ("dlp_week4", "Q3.bytes", "14", "wrong_dtype"),
    ("dlp_week4", "Q3.bytes", "7e9 params", "parameters_for_bytes"),
    ("dlp_week4", "Q1.steps", "62500", "forgot_accumulation"),
    ("lecture_examples", "L1.gpus", "26.875", "not_rounded_up"),
    ("lecture_examples", "L1.gpus", "26", "rounded_down"),
    ("lecture_examples", "L1.training", "770 GB", "no_optimizer"),
    ("lecture_examples", "L1.training", "1030 GB", "no_gradients"),
]


def policy(sheet: str) -> dict:
    """The sheet's [grading] table, read from its TOML (not from the code under test)."""
    return tomllib.loads((PROBLEMS / f"{sheet}.toml").read_text()).get("grading", {})


@pytest.mark.parametrize("sheet,answer_id,text,diagnosis", MISTAKES)
def test_mistakes_are_diagnosed(graders, sheet, answer_id, text, diagnosis):
    result = verdict(graders, sheet, {answer_id: text}, answer_id)
    assert result.verdict == "wrong"
    assert result.diagnosis == diagnosis, result.feedback
    credit = policy(sheet).get("credit", {})
    named = [credit[d] for d in (result.diagnosis, *result.alternatives) if d in credit]
    assert result.points == (max(named) if named else credit.get("other", 0))


def test_lora_feedback_explains(graders):
    result = verdict(graders, "genai_week4", {"E6.params": str(LORA_ONE)}, "E6.params")
    from derivations.present.text import plain

    # feedback is prose with inline math; as text it reads with Unicode symbols
    assert "$A$ ($r \\times d_in$) and $B$ ($d_out \\times r$) both train" in result.feedback
    assert "A (r × d_in) and B (d_out × r) both train" in plain(result.feedback)


def test_error_carried_forward_across_problems(graders):
    d_student = 4.5e12  # wrong in E2, and not explained by rounding (-40%)
    c_student = 6 * N * d_student
    d3_student = c_student / (6 * 1.41 * N)
    x3_student = math.log2(D / (2 * D - d3_student))
    answers = {"E2.D_new": "4.5e12", "E2.C_new": f"{c_student:.5g}",
               "E3.D_new": f"{d3_student:.5g}", "E3.extra_epochs": f"{x3_student:.4f}",
               "E2.extra_epochs": f"{math.log2(D / (2 * D - d_student)):.4f}"}
    result = graders["genai_week4"].grade("s", answers)
    assert result.answers["E2.D_new"].verdict == "wrong"
    unnamed = policy("genai_week4")["carried_unnamed"]  # 4.5e12 is no known mistake
    for answer_id in ("E2.C_new", "E2.extra_epochs", "E3.D_new", "E3.extra_epochs"):
        assert result.answers[answer_id].verdict == "carried-forward", answer_id
        assert result.answers[answer_id].points == unnamed


def test_carried_forward_credit_from_the_sheet(solved, sheet_file):
    from derivations.sheet.spec import load_sheet
    from derivations.solver import engine

    text = (PROBLEMS / "genai_week4.toml").read_text().replace(
        "[grading]\n", "[grading]\ncarried_forward = 0.25\n")
    path = sheet_file(text, "genai_half.toml")
    grader = Grader(engine.solution_of(load_sheet(text, str(path), "genai_half")))
    # ten times D_new is a named slip (a power of ten): the carried share applies
    result = grader.grade("s", {"E2.D_new": f"{10 * D2:.6g}",
                                "E2.C_new": f"{6 * N * 10 * D2:.6g}"})
    assert result.answers["E2.C_new"].verdict == "carried-forward"
    assert result.answers["E2.C_new"].points == 0.25
    # 4.5e12 is no known mistake: the sheet's share for an unnamed one, if lower
    result = grader.grade("s", {"E2.D_new": "4.5e12", "E2.C_new": f"{6 * N * 4.5e12:.5g}"})
    assert result.answers["E2.C_new"].points == min(0.25, policy("genai_week4")[
        "carried_unnamed"])


# -- the command ----------------------------------------------------------------------
def correct_answers(solved, sheet):
    out = {}
    for aid, answer in solved[sheet].answers.items():
        value = answer.as_float()
        if isinstance(value, bool):
            out[aid] = "true" if value else "false"
        elif isinstance(value, list):
            out[aid] = "[" + ", ".join(f"{v:.10g}" for v in value) + "]"
        else:
            out[aid] = f"{value:.10g} {'B' if answer.unit == 'byte' else ''}".strip()
    return out


def test_check_all_correct_exits_0(runner, solved, tmp_path):
    path = tmp_path / "me.json"
    path.write_text(json.dumps({"student": "me", "answers": correct_answers(solved, "dlp_week4")}))
    result = runner.invoke(main, ["check", DLP, str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["students"][0]["score"] == data["students"][0]["max"] == 8


def test_check_toml_for_one_student(runner, tmp_path):
    path = tmp_path / "me.toml"
    path.write_text('student = "me"\n[answers]\n"Q1.steps" = "15625"\n"Q2.answer" = true\n')
    result = runner.invoke(main, ["check", DLP, str(path)])
    assert result.exit_code == 1  # other answers are missing
    assert "Q1.steps           correct" in result.output


def test_unknown_column_is_bad_input(runner, tmp_path):
    path = tmp_path / "class.csv"
    path.write_text("student,E1.c\ns1,1e24\n")
    result = runner.invoke(main, ["check", GENAI, str(path)])
    assert result.exit_code == 2
    assert "unknown answer id 'E1.c' (did you mean 'E1.C'" in result.stderr


PLANTED = {aid: (text, diagnosis) for sheet, aid, text, diagnosis in MISTAKES
           if sheet == "genai_week4" and aid not in ("E6.bytes", "E6.params", "E5.bytes",
                                                     "E1.C")}
PLANTED.update({"E6.params": (str(LORA_ONE), "one_lora_matrix"),
                "E5.bytes": ("54 GB", "decimal_binary"),
                "E1.C": (f"{2 * N * D:.4g}", "forward_only")})


def test_class_of_1000_with_planted_mistakes(runner, solved, tmp_path):
    rng = random.Random(4)
    right = correct_answers(solved, "genai_week4")
    ids = list(right)
    planted: dict[tuple[str, str], str] = {}
    path = tmp_path / "class.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *ids])
        for index in range(1000):
            name = f"s{index:04d}"
            row = dict(right)
            for aid in rng.sample(sorted(PLANTED), k=rng.randint(0, 3)):
                row[aid] = PLANTED[aid][0]
                planted[(name, aid)] = PLANTED[aid][1]
            writer.writerow([name, *[row[aid] for aid in ids]])
    out = tmp_path / "grades.json"
    result = runner.invoke(main, ["check", GENAI, str(path), "--format", "json", "-o", str(out)])
    assert result.exit_code == 1
    data = json.loads(out.read_text())
    assert len(data["students"]) == 1000
    for student in data["students"]:
        for aid, graded in student["answers"].items():
            expected = planted.get((student["student"], aid))
            if expected is None:
                assert graded["verdict"] == "correct", (student["student"], aid, graded)
            else:
                assert graded["verdict"] == "wrong" and graded["diagnosis"] == expected
    summary = data["summary"]["E6.params"]
    assert summary["common_mistake"]["diagnosis"] == "one_lora_matrix"
    assert summary["correct"] == 1000 - sum(1 for (_, aid) in planted if aid == "E6.params")


@pytest.mark.tex
def test_report_pdf(runner, tmp_path):
    import subprocess

    compute = 6 * 67e9 * 4.1e12  # E1.C; s2 writes ten times it, s3 cannot be read
    answers = tmp_path / "a.csv"
    answers.write_text("student,E6.params,E1.C\n"
                       f"s1,9437184,{compute:.5g}\ns2,18874368,{compute * 10:.5g}\ns3,,abc\n")
    report = tmp_path / "grades.pdf"
    result = runner.invoke(main, ["check", GENAI, str(answers), "--report", str(report)])
    assert result.exit_code == 1
    text = subprocess.run(["pdftotext", "-layout", str(report), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Grades:" in text and "one lora matrix" in text and "E6.params" in text
    assert "(dout × r) both train" in text  # the feedback's formulas are typeset
    # the class list explains a mistake for everyone, never with one student's numbers
    assert "power of ten (1 answer): The answer is off by a power of ten" in text
    assert "Expected" not in text
    # missing and unreadable answers are counted: E1.C 1 right, 1 unread; E6.params 1 missing
    rows = {line.split()[0]: line.split()[1:5] for line in text.splitlines()
            if line.strip().startswith(("E1.C", "E6.params"))}
    assert rows == {"E1.C": ["1/3", "33%", "0", "1"], "E6.params": ["1/3", "33%", "1", "0"]}
    # a tick at every other score from 0 to the 16 points, not only at scores that occurred
    ticks = next(line for line in text.splitlines() if line.split()[:3] == ["0", "2", "4"])
    assert ticks.split() == [str(n) for n in range(0, 17, 2)]


def test_unused_imports_are_exercised():
    # the independent reference helpers come from test_reference_values
    assert E == 1.69 and A == 406.4 and ALPHA == 0.34 and BETA == 0.28 and L1 > E


def test_known_mistake_on_top_of_own_earlier_answer(graders):
    d3_student = 4.59e12  # a wrong E3.D_new
    total = math.log2(D / (2 * D - d3_student)) + 1  # and total epochs instead of additional
    result = graders["genai_week4"].grade("s", {"E3.D_new": "4.59e12",
                                                "E3.extra_epochs": f"{total:.4f}"})
    graded = result.answers["E3.extra_epochs"]
    assert graded.verdict == "wrong" and graded.diagnosis == "total_epochs"
    assert "Computed from your answer to E3.D_new" in graded.feedback


def test_hostile_cells_in_a_class_csv(runner, tmp_path):
    path = tmp_path / "class.csv"
    huge = "9" * 10_000_000
    path.write_text("student,E1.C,E1.L,E2.D_new,E7.rank\n"
                    f"s1,{huge},NaN,inf,٣\n"
                    "s2,__import__('os').system('id'),,-1e999999,8\n")
    result = runner.invoke(main, ["check", GENAI, str(path), "--format", "json"])
    assert result.exit_code == 1, result.output[-500:]
    students = json.loads(result.output)["students"]
    verdicts = [{aid: v["verdict"] for aid, v in s["answers"].items()} for s in students]
    assert verdicts[0]["E1.C"] == verdicts[0]["E1.L"] == verdicts[0]["E2.D_new"] == "unparsed"
    assert verdicts[0]["E7.rank"] == "wrong"  # ٣ is an Arabic-Indic 3: read, and wrong
    assert verdicts[1]["E1.C"] == "unparsed" and verdicts[1]["E1.L"] == "missing"
    assert verdicts[1]["E7.rank"] == "correct"


def test_exit_zero_keeps_a_script_going_when_answers_are_wrong(runner, tmp_path):
    """Exit 1 means "wrong answers found" (documented); --exit-zero makes it 0, and bad
    input still exits 2."""
    answers = tmp_path / "a.csv"
    answers.write_text("student,E1.C\ns1,1\n")
    grades = tmp_path / "g.csv"
    assert runner.invoke(main, ["check", GENAI, str(answers)]).exit_code == 1
    result = runner.invoke(main, ["check", GENAI, str(answers), "--exit-zero",
                                  "--gradebook", "moodle", "-o", str(grades)])
    assert result.exit_code == 0 and grades.exists()
    missing = runner.invoke(main, ["check", GENAI, str(tmp_path / "none.csv"), "--exit-zero"])
    assert missing.exit_code == 2
    assert "1 when grading ran and found answers" in " ".join(runner.invoke(
        main, ["check", "--help"]).output.split())
