"""The analysis on generated classes whose truth is planted (`analyse.simulate`): who
copied from which variant, which unlisted mistakes, which variant was made harder."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from derivations.analyse.copying import MIN_MATCHES
from derivations.analyse.proposals import MIN_STUDENTS
from derivations.analyse.report import analyse
from derivations.analyse.simulate import Plan, student_id
from derivations.sheet.expr import parse
from tests.analyse.classes import Pool, students_with

COPIERS = {5: "v10", 17: "v03", 30: "v22", 61: "v40"}


def n_for_d(inputs):  # E1.C with N written where D belongs: 6 N^2
    return 6 * inputs["N"] * inputs["N"]


def loss_without_e(inputs):  # E1.L without the irreducible term E
    return inputs["A"] / inputs["N"] ** inputs["alpha"] + inputs["B"] / inputs["D"] ** \
        inputs["beta"]


PLANTED = {"E1.C": (n_for_d, 0.1), "E1.L": (loss_without_e, 0.1)}


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    return Pool(tmp_path_factory.mktemp("analyse"))


@pytest.fixture(scope="module")
def planted(pool):
    path = pool.graded(Plan(students=200, copiers=COPIERS, planted=PLANTED, seed=3), "planted")
    return path, analyse("t", pool.results(path), pool.known, permutations=999)


def test_copiers_are_found_with_their_source_and_nobody_else_is_flagged(planted):
    _, analysis = planted
    flagged = {f.student: f.source for f in analysis.copying.flags}
    assert len(flagged) == len(analysis.copying.flags)  # one flag per student
    assert flagged == {student_id(i): source for i, source in COPIERS.items()}
    for flag in analysis.copying.flags:
        assert len(flag.matches) >= MIN_MATCHES and flag.expected <= 0.05
        assert all(m.kind == "right value" for m in flag.matches)


def test_one_match_is_never_a_flag(pool):
    # honest students only: chance matches happen, and none is an accusation
    path = pool.graded(Plan(students=240, right=0.3, named=0.0, seed=11), "honest")
    analysis = analyse("t", pool.results(path), pool.known, permutations=199)
    assert analysis.copying.flags == []


def _equation_value(proposal, inputs):
    value = parse(proposal.equation).build(lambda name: sp.Float(inputs[name], 30))
    return float(value)


def test_both_planted_mistakes_are_proposed_with_the_right_equation(pool, planted):
    _, analysis = planted
    by_answer = {p.answer: p for p in analysis.unknown.proposals}
    assert set(by_answer) == {"E1.C", "E1.L"}
    for aid, (wrong, _) in PLANTED.items():
        for variant in ("v00", "v13", "v31"):  # the equation holds on any variant's numbers
            inputs = {n: float(v) for n, v in
                      pool.known[variant].solution.answers[aid].inputs.items()}
            assert _equation_value(by_answer[aid], inputs) == pytest.approx(wrong(inputs),
                                                                             rel=1e-9)
        assert len(by_answer[aid].students) >= max(10, MIN_STUDENTS)
    assert analysis.unknown.clusters == []


def test_garbage_proposes_nothing(pool):
    path = pool.graded(Plan(students=240, right=0.2, named=0.0, seed=5), "garbage")
    analysis = analyse("t", pool.results(path), pool.known, permutations=199)
    assert analysis.unknown.proposals == []
    assert analysis.unknown.clusters == []


def test_the_pasted_entry_makes_check_name_the_mistake(pool, planted):
    path, analysis = planted
    proposal = next(p for p in analysis.unknown.proposals if p.answer == "E1.C")
    text = pool.sheet.read_text()
    anchor = 'id = "C"\n'
    assert text.count(anchor) == 1
    edited = pool.folder / "edited" / pool.sheet.name
    edited.parent.mkdir()
    edited.write_text(text.replace(anchor, anchor + proposal.entry + "\n"))
    again = pool.graded(Plan(students=200, copiers=COPIERS, planted=PLANTED, seed=3),
                        "again", sheet=edited)
    named = students_with(again, "E1.C", proposal.edit.name)
    assert named == set(proposal.students)


def test_a_harder_variant_is_flagged_and_only_it(pool):
    path = pool.graded(Plan(students=41 * 8, harder={"v07": 0.35}, seed=8), "harder")
    analysis = analyse("t", pool.results(path), pool.known, permutations=1999)
    assert analysis.fairness.p_value < 0.05
    assert {v.variant: v.flag for v in analysis.fairness.variants if v.flag} == {"v07": "harder"}


def test_equal_variants_are_not_flagged(pool):
    path = pool.graded(Plan(students=41 * 8, seed=9), "equal")
    analysis = analyse("t", pool.results(path), pool.known, permutations=1999)
    assert [v for v in analysis.fairness.variants if v.flag] == []


def test_every_variant_gets_a_prediction_from_its_numbers(pool):
    from derivations.analyse.difficulty import predicted

    found = predicted(pool.known)
    assert [p.variant for p in found] == sorted(pool.known)
    assert math.isclose(sum(p.index for p in found), 0.0, abs_tol=1e-9)  # z-scores centre
    v00 = next(p for p in found if p.variant == "v00")
    assert v00.features["digits"] == 2 + 2  # N = 6.7e10, D = 4.1e12 as drawn


def test_a_class_without_variants_gets_items_and_proposals(tmp_path):
    """The sheet as written, one set of numbers for all: no fairness test and no copying
    check (each says why), but the unlisted mistake is still proposed."""
    import json

    from click.testing import CliRunner

    from derivations.analyse.known import known_variants
    from derivations.analyse.results import read_results
    from derivations.analyse.simulate import simulated_class
    from derivations.cli.main import main
    from derivations.pipeline import solve_file
    from tests.analyse.classes import SHEET

    written = solve_file(SHEET)
    known = known_variants(written.sheet, written, None)
    answers = tmp_path / "class.csv"
    answers.write_text(simulated_class(known, Plan(students=60, planted={
        "E1.C": (n_for_d, 0.15)}, seed=21)))
    out = tmp_path / "results.json"
    result = CliRunner().invoke(main, ["check", str(SHEET), str(answers), "--format", "json",
                                       "-o", str(out), "--exit-zero"])
    assert result.exit_code == 0, result.output
    assert "variant" not in json.loads(out.read_text())["students"][0]
    analysis = analyse("t", read_results([out], written.sheet), known, permutations=99)
    assert analysis.fairness.reason and analysis.copying.reason
    assert [(p.answer, p.equation) for p in analysis.unknown.proposals] == [
        ("E1.C", "6 * N ** 2")]
