"""The seed write-up of genai_week4 (tests/fixtures/writeups/genai_week4_seed.md): every
false line is flagged with the right reason, and no true line is flagged.

Which lines are false is established here independently of the checker, with plain
floating-point arithmetic on the numbers the write-up shows; the test then asks that
the checker flags exactly those lines.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from derivations.sheet.spec import load_sheet
from derivations.solver import engine
from derivations.work.checking import WorkChecker

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "writeups" / "genai_week4_seed.md"
SHEET = ROOT / "problems" / "genai_week4.toml"
A, B, E, ALPHA, BETA, N, D = 406.4, 410.7, 1.69, 0.34, 0.28, 67e9, 4.1e12
GB, GIB, TB, TIB, MB, MIB = 1e9, 2**30, 1e12, 2**40, 1e6, 2**20


def rounds_to(value: float, written: float, half: float) -> bool:
    return abs(value - written) <= half * (1 + 1e-9)


def line_of(text: str) -> int:
    lines = SEED.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def result():
    sheet = load_sheet(SHEET.read_text(), str(SHEET), SHEET.stem)
    return WorkChecker(engine.solution_of(sheet)).check(SEED)


def test_the_false_lines_are_false_by_independent_arithmetic():
    """The facts the expectations below rest on, computed without the checker."""
    target = 1.88
    d_new = (B / (target - E - A / N**ALPHA)) ** (1 / BETA)
    assert not rounds_to(d_new, 6.48e12, 0.005e12)                 # line 41 is false
    unrounded = 0.99 * 1.90
    assert rounds_to((B / (unrounded - E - A / N**ALPHA)) ** (1 / BETA), 6.48e12, 0.005e12)
    rng = random.Random(1)
    for _ in range(5):                                             # (1) drops a −1
        x, d = rng.uniform(0.1, 5), rng.uniform(1e12, 9e12)
        d_prime = 2 * (1 - 1 / 2 ** (x + 1)) * d
        assert math.isclose(math.log2(1 / (1 - d_prime / (2 * d))) - x, 1, rel_tol=1e-9)
    written_x = math.log2(1 / (1 - 6.48 / (2 * 4.1)))
    assert not rounds_to(written_x, 1.25, 0.005)                   # line 55 is false
    assert rounds_to(math.log2(4.1 / (8.2 - 6.48)), 1.25, 0.005)   # the sheet's formula
    assert rounds_to(math.log2(1 / (1 - 4.59 / 8.2)), 1.18, 0.005)  # line 66 holds...
    assert not rounds_to(3.5e11, 325.96 * GB, 0.005 * GB)          # GiB written as GB
    assert rounds_to(3.5e11 / GIB, 325.96, 0.005)
    assert rounds_to(3.5e13 / TIB, 31.83, 0.005)
    full = 2 * 12288 * 12288 * 96 * 2
    assert not rounds_to(full, 6.04e8, 0.005e8) and rounds_to(full / 96, 6.04e8, 0.005e8)
    assert rounds_to(full / GIB, 54, 0.5) and not rounds_to(6.04e8, 54 * GB, 0.5 * GB)
    lora = 2 * 12288 * 4 * 96 * 2
    assert lora * 2 == 2 * 96 * 4 * (12288 + 12288) * 2            # E6 misses A or B
    assert not rounds_to(1.89e7, 18 * MB, 0.5 * MB) and rounds_to(1.89e7 / MIB, 18, 0.5)
    assert 12288 * 8 * 96 * 2 * 2 == 2 * 1 * 96 * 8 * (12288 + 12288)  # E7's M is half


EXPECTED_FALSE = {
    "\\approx 6.48 \\text{ trillion tokens}": "unrounded value",
    "\\to x = \\log_2": "−1 was dropped",
    "\\approx 1.25 \\text{ epochs}": "sheet's formula for E2.extra_epochs",
    "\\approx 325.96": "in GiB",
    "\\approx 31.83": "in TiB",
    "\\approx 6.04\\times 10^8": "without the factor × 96",
    "2\\times d_{\\rm model}\\times 4": "half",  # E6's expression: half the sheet's memory
    "\\approx 1.89\\times 10^7": "in MiB",
    "$$M = d_{\\rm model}": "half",
}


def test_flags_exactly_the_false_lines(result):
    flagged = {r.line for r in result.relations if r.mark == "false"}
    assert flagged == {line_of(text) for text in EXPECTED_FALSE}


@pytest.mark.parametrize("text", list(EXPECTED_FALSE))
def test_each_false_line_says_why(result, text):
    reasons = " | ".join(r.reason_text for r in result.relations
                         if r.line == line_of(text) and r.mark == "false")
    assert EXPECTED_FALSE[text] in reasons


def test_e6_expression_is_half_of_the_sheets_memory(result):
    line = line_of("2\\times d_{\\rm model}\\times 4")
    relation = next(r for r in result.relations if r.line == line and r.mark == "false")
    assert "E6.bytes" in relation.text and "half" in relation.reason_text
    assert "one LoRA matrix per projection" in relation.reason_text  # the library's mistake


def test_lines_after_a_false_line_follow_from_it(result):
    by_line: dict[int, set[str]] = {}
    for relation in result.relations:
        by_line.setdefault(relation.line, set()).add(relation.mark)
    c_new = line_of("C' \\approx 6ND'")
    assert "follows" in by_line[c_new] and "false" not in by_line[c_new]
    follows = next(r for r in result.relations if r.line == c_new and r.mark == "follows")
    assert follows.follows_from == line_of("\\approx 6.48")
    e3_epochs = line_of("\\approx 1.18")
    assert by_line[e3_epochs] == {"follows"}
    assert next(r.follows_from for r in result.relations if r.line == e3_epochs) == \
        line_of("\\to x = \\log_2")


def test_the_garbled_footnote_is_unread_not_guessed(result):
    unread = [r for r in result.relations if r.mark == "unread"]
    assert [r.line for r in unread] == [line_of("<sup>^{-1}")]


def test_true_lines_hold(result):
    holds = {r.line for r in result.relations if r.mark == "holds"}
    for text in ("N=67 billion", "C \\approx 6 \\times 67", "L(N,D) = E",
                 "L' = 0.99 \\times L", "$$175 \\times 10^9$$", "d_{\\text{model}} = 12,288"):
        line = line_of(text) + (1 if text.startswith("$$175") else 0)
        assert line in holds, text


def test_final_answers_are_graded_like_check(result):
    from derivations.grade.grader import Grader

    sheet = load_sheet(SHEET.read_text(), str(SHEET), SHEET.stem)
    written = {aid: text for aid, (_, text) in result.found.items()}
    direct = Grader(engine.solution_of(sheet)).grade("seed", written)
    lines = {aid: line for aid, (line, _) in result.found.items()}
    false = {r.line for r in result.relations if r.mark == "false"}
    for aid, verdict in direct.answers.items():  # check's verdict, unless the line is false
        mine = result.answers.answers[aid].verdict
        if lines.get(aid) in false and verdict.verdict in ("correct-with-rounding",
                                                           "carried-forward"):
            assert mine == "wrong", aid
        elif lines.get(aid) not in false:
            assert mine == verdict.verdict or mine == "carried-forward", aid
    # 6.48 trillion follows from L' = 1.881, but line 41 substitutes 1.88: not credited
    assert result.answers.answers["E2.D_new"].verdict == "wrong"
    assert result.answers.answers["E2.C_new"].verdict == "carried-forward"
    assert result.answers.answers["E5.bytes"].verdict == "wrong"
    assert result.answers.answers["E1.C"].verdict == "correct"
    assert float(written["E1.C"].split()[0]) == 1.65e24
    assert result.answers.answers["E3.N_new"].verdict == "missing"


DLP = ROOT / "tests" / "fixtures" / "writeups" / "dlp_week4_seed.md"
DLP_SHEET = ROOT / "problems" / "dlp_week4.toml"


@pytest.fixture(scope="module")
def dlp():
    sheet = load_sheet(DLP_SHEET.read_text(), str(DLP_SHEET), DLP_SHEET.stem)
    return WorkChecker(engine.solution_of(sheet)).check(DLP)


def dlp_line(text: str) -> int:
    lines = DLP.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_second_seed_numbered_questions_aligned_math_and_ticked_boxes(dlp):
    """The DLP write-up answers numbered questions (`1) How many ...?`) in `aligned`
    blocks with words for names, and ticks boxes for true/false questions."""
    assert 16 * 4 == 64 and 1_000_000 / 64 == 15_625 and 7e9 * 4 / 1e9 == 28
    assert 2048 * 8 != 16384 - 2048                      # the one false relation
    false = [r for r in dlp.relations if r.mark == "false"]
    assert [r.line for r in false] == [dlp_line("16384 - 2048")]
    assert "16 384" in false[0].reason_text
    holds = {r.text for r in dlp.relations if r.mark == "holds"}
    assert {"16 × 4 = 64", "1,000,000/64 = 15,625", "32/8 = 4"} <= holds
    verdicts = {aid: v.verdict for aid, v in dlp.answers.answers.items()}
    assert verdicts["Q1.steps"] == "correct" and verdicts["Q3.bytes"] == "correct"
    assert verdicts["Q5.head_params"] == "wrong"
    assert all(verdicts[q] == "correct" for q in ("Q2.answer", "Q6.answer", "Q7.answer",
                                                  "Q8.answer"))
    assert verdicts["Q4.bytes"] == "missing"  # answered in words only
    assert {p for _, p, _ in dlp.writeup.sections if p} == {f"Q{k}" for k in range(1, 9)}
