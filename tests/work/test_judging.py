"""The walk's collaborators (`work.judging`): the ledger of the student's own values,
the marker of one relation, and the rearrangement check, each handed the sheet as
`SheetFacts` data. Values are checked against float arithmetic done here."""

from __future__ import annotations

import pytest
import sympy as sp

from derivations.read.grammar import read_formula
from derivations.sheet.spec import load_sheet
from derivations.solver.engine import solution_of
from derivations.work.checking import WorkChecker
from derivations.work.judging.ledger import Ledger, SheetFacts
from derivations.work.judging.rearranging import check_rearrangement
from derivations.work.judging.relation import RelationMarker
from derivations.work.judging.walk import Walk
from derivations.work.writeup.document import cut
from tests.conftest import COMPUTE_SHEET

SHEET = COMPUTE_SHEET
C = 6 * 7e9 * 1.4e11  # 5.88e21


@pytest.fixture(scope="module")
def checker() -> WorkChecker:
    return WorkChecker(solution_of(load_sheet(SHEET, "small.toml", "small")))


def _walk(checker: WorkChecker, text: str) -> Walk:
    walk = Walk(checker.facts, cut(text, "w.md", ["P"], "markdown"))
    walk.run()
    return walk


def test_the_walk_takes_the_sheet_as_data_not_the_checker(checker):
    assert isinstance(checker.facts, SheetFacts)
    assert checker.facts.tolerance == pytest.approx(0.01)
    assert set(checker.facts.keys) == {"P.C"}
    walk = _walk(checker, "## P\n$N = 8 \\times 10^9$\n")
    assert not hasattr(walk, "checker")


def test_the_ledger_keeps_the_students_own_values(checker):
    walk = _walk(checker, "## P\n$N = 8 \\times 10^9$\n\n$k = 6$\n\n"
                          "$C = k N D = 5.88 \\times 10^{21}$\n")
    ledger = walk.ledger
    assert float(ledger.student("k")) == 6  # a symbol of the write-up's own
    assert ledger.sheet("k") is None
    # a misstated given is marked false and the sheet's value stays in use, so the
    # later line (right with the sheet's N) holds: 6 × 7e9 × 1.4e11 = 5.88e21
    assert float(ledger.student("N")) == pytest.approx(7e9)
    marks = {r.line: r.holds for r in walk.relations}
    assert marks[2] is False and marks[6] is True and C == pytest.approx(5.88e21)


def test_a_result_written_earlier_is_found_by_its_digits(checker):
    walk = _walk(checker, f"## P\n$C = 6 N D = {C / 1e21:.2f} \\times 10^{{21}}$\n")
    (node,) = [t.node for t in read_formula("5.88 \\times 10^{21} / 2")[0].terms]
    (literal, earlier, shift, taint), = walk.ledger.matched(node)
    assert literal.text == "5.88" and shift == 21 and taint is None
    assert float(earlier.value) == pytest.approx(C)


def test_one_relation_is_marked_with_the_sheets_values(checker):
    ledger = Ledger(checker.facts, problem="P")
    marker = RelationMarker(checker.facts, ledger)
    left, right = read_formula("6 N D = 5.88 \\times 10^{21}")[0].terms
    held = marker.pair(left, right, "=", 3, target=None)
    assert held is not None and held.holds and held.line == 3
    left, right = read_formula("6 N D = 5.88 \\times 10^{20}")[0].terms
    wrong = marker.pair(left, right, "=", 4, target=None)
    assert wrong is not None and wrong.holds is False and "power" in wrong.reason_text.lower()


def test_a_rearrangement_and_what_is_not_one():
    def terms(text: str):
        return read_formula(text)[0].terms

    c, six_nd = terms("C = 6 N D")
    sheet = {"C": sp.Float(C), "N": sp.Float(7e9), "D": sp.Float(1.4e11)}.get
    d, solved = terms("D = C / (6 N)")
    held = check_rearrangement((c, six_nd, True), d, solved, 5, "P", sheet, None)
    assert held is not None and held.holds and "solving" in held.reason_text
    d, wrong = terms("D = C / 6 N")
    false = check_rearrangement((c, six_nd, True), d, wrong, 6, "P", sheet, None)
    assert false is not None and false.holds is False
    two, also = terms("2 \\times 3 = 6")
    assert check_rearrangement((c, six_nd, True), two, also, 7, "P", sheet, None) is None
