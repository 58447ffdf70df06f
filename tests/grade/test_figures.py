"""Significant figures as a marking policy, fixed and derived from the inputs' precision.

Expected figures are worked by hand: 6 N D = 6 x 70e9 x 1.4e12 = 5.88e23; the textbook
rule gives a product as many figures as its least precise factor; an answer that
reacts e-fold to an input written to n figures keeps n - floor(log10 |e|).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from derivations.grade.grader import Grader
from derivations.grade.precision import Input, measured, supported, written_figures
from derivations.pipeline import parse_sheet
from derivations.read.answer import read_answer
from derivations.solver import engine


@pytest.mark.parametrize(("text", "expected"), [
    ("1.69", 3), ("1.690", 4), ("67e9", 2), ("6.7E+10", 2), ("1e6", 1), ("0.0034", 2),
    ("2048", None), ("96", None),
])
def test_a_given_is_measured_by_how_it_is_written(text, expected):
    assert measured(text) == expected


@pytest.mark.parametrize(("text", "figures"), [
    ("7.5e12", 2), ("7500000000000", 2), ("15625", 5), ("1.80", 3), ("0.0034", 2),
    ("5.880 × 10^23", 4), ("120", 2), ("2^14", None),
])
def test_figures_a_student_wrote(text, figures):
    assert written_figures(read_answer(text)) == figures


def test_supported_figures():
    two, three = Input("a", 1.0, 2), Input("b", -1.0, 3)
    assert supported("derived", 6.93e12, [two, three]).figures == 2  # fewest factor's
    assert supported("derived", 6.93e12, [three]).figures == 3
    steep = Input("L", -66.0, 3)  # 10 <= |e| < 100 costs one figure
    assert supported("derived", 7.544e12, [steep]).figures == 2
    assert supported("derived", 7.544e12, [steep, two]).limit == steep
    assert supported("derived", 7.544e12, [Input("x", 0.02, 2)]).figures == 4
    assert supported("derived", 7.544e12, []) is None  # nothing measured: tolerance
    assert supported(3, 7.544e12, [steep]).figures == 3
    assert supported(None, 7.544e12, [steep]) is None


SHEET = """title = "figures"
[grading]
tolerance = 0.02
{policy}
[given]
N = 70e9
D = "1.40e12"
[[problems]]
id = "E1"
[[problems.asks]]
id = "C"
formula = "training_compute"
[[problems.asks]]
id = "Ck"
expr = "C / 1000"
unit = "FLOP"
"""


def grader(tmp_path, policy: str) -> Grader:
    text = SHEET.format(policy=policy)
    path = tmp_path / "figures.toml"
    path.write_text(text)
    return Grader(engine.solution_of(parse_sheet(text, path)))


def mark(g: Grader, **written):
    result = g.grade("s", {f"E1.{k}": v for k, v in written.items()})
    return {aid.split(".")[1]: v for aid, v in result.answers.items()}


def test_a_fixed_policy(tmp_path):
    g = grader(tmp_path, "figures = 2\noverclaim = 0.5\nunderclaim = 0.25")
    right = mark(g, C="5.9e23")["C"]
    assert (right.verdict, right.points) == ("correct", 1.0)
    over = mark(g, C="5.88e23")["C"]
    assert (over.verdict, over.points, over.diagnosis) == ("correct", 0.5, "too_many_figures")
    assert "asks for 2" in over.feedback
    under = mark(g, C="6e23")["C"]
    assert (under.verdict, under.points, under.diagnosis) == ("correct", 0.75,
                                                              "too_few_figures")
    # 5.8e23 is 1.4% off: inside the 2% tolerance, but 5.88e23 to 2 figures is 5.9e23
    near = mark(g, C="5.8e23")["C"]
    assert near.verdict == "wrong" and near.points == 0
    assert "figures policy (2 significant figures)" in near.feedback
    assert "would pass a 2% tolerance" in near.feedback


def test_the_tolerance_policy_says_it_decided(tmp_path):
    near = mark(grader(tmp_path, ""), C="5.8e23")["C"]
    assert near.verdict == "correct" and "within the 2% tolerance" in near.feedback
    exact = mark(grader(tmp_path, ""), C="5.88e23")["C"]
    assert "tolerance" not in exact.feedback


def test_derived_from_the_givens(tmp_path):
    # N = 70e9 has 2 figures, D = 1.40e12 has 3: C = 6 N D supports 2
    g = grader(tmp_path, 'figures = "derived"')
    assert mark(g, C="5.9e23")["C"].points == 1.0
    over = mark(g, C="5.88e23")["C"]
    assert over.diagnosis == "too_many_figures"
    assert "N to 2 supports only 2 for E1.C" in over.feedback
    exact_n = grader(tmp_path, 'figures = "derived"\nexact = ["N"]')
    assert mark(exact_n, C="5.88e23")["C"].points == 1.0  # D's 3 figures now limit


def test_derived_from_what_the_student_wrote(tmp_path):
    # the givens are exact: T's figures are those of the C the student wrote
    g = grader(tmp_path, 'figures = "derived"\nexact = ["N", "D"]')
    alone = mark(g, Ck="5.88e20")["Ck"]
    assert alone.verdict == "correct" and not alone.diagnosis  # nothing measured
    got = mark(g, C="5.9e23", Ck="5.88e20")
    assert got["C"].diagnosis == ""  # C itself has only exact inputs: tolerance
    assert got["Ck"].diagnosis == "too_many_figures"
    assert "E1.C to 2 supports only 2 for E1.Ck" in got["Ck"].feedback
    assert mark(g, C="5.9e23", Ck="5.9e20")["Ck"].points == 1.0


def test_an_exact_form_and_whole_numbers_are_left_to_the_tolerance(tmp_path):
    g = grader(tmp_path, "figures = 2")
    form = mark(g, C="6 * 70e9 * 1.4e12")["C"]
    assert form.verdict == "correct" and form.points == 1.0
    assert written_figures(read_answer("2^14")) is None
    assert Fraction(1, 2) == read_answer("15625").half  # a whole number's last place


def test_the_feedback_names_the_limiting_input():
    from derivations.grade import figures
    from derivations.grade.precision import Supported
    from derivations.present.text import plain

    limit = Supported(2, Input("E1.L", -65.8, 3))
    said = plain(figures.overclaim_feedback("E2.D_new", 4, limit, "7.5e12"))
    assert said == ("4 significant figures claimed, but E1.L to 3 supports only 2 for "
                    "E2.D_new (d ln E2.D_new / d ln E1.L = −65.8): write 7.5e12.")
    assert figures.underclaim_feedback(1, Supported(3), "1.65e24") == (
        "1 significant figure given; this sheet asks for 3 (1.65e24).")
