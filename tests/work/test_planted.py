"""Write-ups with one planted error of each kind: the checker flags that line, says
why, marks what follows from it, and flags nothing else. Correct write-ups in three
formats (Markdown, LaTeX, plain text) and two sheets have no false line."""

from __future__ import annotations

from pathlib import Path

import pytest

from derivations.sheet.spec import load_sheet
from derivations.solver import engine
from derivations.work.checking import WorkChecker
from tests.work import writeups

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def genai() -> WorkChecker:
    path = ROOT / "problems" / "genai_week4.toml"
    return WorkChecker(engine.solution_of(load_sheet(path.read_text(), str(path), path.stem)))


@pytest.fixture(scope="module")
def gpu() -> WorkChecker:
    path = ROOT / "problems" / "gpu_memory.toml"
    return WorkChecker(engine.solution_of(load_sheet(path.read_text(), str(path), path.stem)))


def check(checker: WorkChecker, text: str, tmp_path: Path, name: str = "w.md"):
    path = tmp_path / name
    path.write_text(text)
    return checker.check(path)


def line_with(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_correct_writeup_has_no_false_line_and_full_marks(genai, tmp_path):
    result = check(genai, writeups.genai_markdown(), tmp_path)
    assert [r for r in result.relations if r.mark in ("false", "unread", "unchecked")] == []
    assert len(result.relations) > 40
    assert result.answers.all_correct, {a: v.verdict for a, v in result.answers.answers.items()}
    assert result.first_error is None


PLANTED = {
    "numeric slip": "is 1.6482 × 10²⁴",
    "dropped factor": "without the factor × 96",
    "wrong rearrangement": "gives D = C'/(6·N')",
    "dropped minus one": "−1 was dropped",
    "carried forward": "7.54435 × 10¹²",
}


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_a_planted_error_is_the_first_error_with_its_reason(genai, tmp_path, kind):
    text, fragment = writeups.planted(kind)
    result = check(genai, text, tmp_path)
    first = result.first_error
    assert first is not None
    assert first.line == line_with(text, fragment)
    assert PLANTED[kind] in first.reason_text
    earlier = [r for r in result.relations if r.line < first.line]
    assert all(r.mark == "holds" for r in earlier)


def test_lines_after_a_wrong_value_follow_from_it(genai, tmp_path):
    text, fragment = writeups.planted("carried forward")
    result = check(genai, text, tmp_path)
    wrong = line_with(text, fragment)
    false = [r for r in result.relations if r.mark == "false"]
    assert [r.line for r in false] == [wrong]
    following = [r for r in result.relations if r.mark == "follows"]
    assert len(following) >= 5
    assert {r.follows_from for r in following} == {wrong}
    assert {r.problem for r in following} >= {"E2", "E3"}


def test_a_rearrangement_error_taints_what_uses_it(genai, tmp_path):
    text, fragment = writeups.planted("dropped minus one")
    result = check(genai, text, tmp_path)
    line = line_with(text, fragment)
    later = [r for r in result.relations if r.problem == "E3" and "log" in r.text]
    assert later and all(r.mark == "follows" and r.follows_from == line for r in later)


def test_unread_notation_is_reported_with_its_line_and_nothing_is_guessed(genai, tmp_path):
    text, fragment = writeups.planted("unread notation")
    result = check(genai, text, tmp_path)
    unread = [r for r in result.relations if r.mark == "unread"]
    assert [r.line for r in unread] == [line_with(text, fragment)]
    assert "\\mathbb" in unread[0].reason_text
    assert not [r for r in result.relations if r.mark == "false"]


def test_a_latex_writeup_of_another_sheet(gpu, tmp_path):
    text = writeups.gpu_latex()
    result = check(gpu, text, tmp_path, "g.tex")
    assert result.writeup.kind == "latex"
    assert {p for _, p, _ in result.writeup.sections} == {"G1", "G4"}
    assert [r for r in result.relations if r.mark in ("false", "unread")] == []
    graded = {aid: v.verdict for aid, v in result.answers.answers.items()}
    for aid in ("G1.plain", "G1.zero3", "G4.kv_4k", "G4.kv_32k"):
        assert graded[aid] == "correct", (aid, graded)


def test_a_latex_slip_in_another_sheet(gpu, tmp_path):
    kv = 2 * 1 * 2 * 128 * 4096 * 40 * 40
    text = writeups.gpu_latex().replace(f"{kv:,}".replace(",", "{,}") + " \\text{ bytes}",
                                        f"{kv // 40:,}".replace(",", "{,}") + " \\text{ bytes}")
    result = check(gpu, text, tmp_path, "g.tex")
    first = result.first_error
    assert first is not None and "without the factor × 40" in first.reason_text
    assert first.line == line_with(text, "M_{kv} =")


def test_plain_text_writeup(genai, tmp_path):
    text = writeups.genai_plain()
    result = check(genai, text, tmp_path, "w.txt")
    assert result.writeup.kind == "plain"
    assert [r for r in result.relations if r.mark == "false"] == []
    rearranged = [r for r in result.relations if "→" in r.text]
    assert rearranged and rearranged[0].holds
    assert result.answers.answers["E1.C"].verdict == "correct"
    assert {p for _, p, _ in result.writeup.sections} == {"E1", "E2"}


def test_percent_and_time_units(gpu, tmp_path):
    u = 6 * 13e9 * 12_000 / (312e12 * 8)
    seconds = 6 * 13e9 * 260e9 / (312e12 * 64 * u)
    text = ("## G5\n\n$$u = \\frac{6 N R_{tok}}{F_{gpu} n_{gpu}} = \\frac{6 \\times 13 \\times "
            f"10^9 \\times 12{{,}}000}}{{312 \\times 10^{{12}} \\times 8}} = {u:g} = "
            f"{u * 100:g}\\%$$"
            "\n\n$$T = \\frac{6 N D}{F_{gpu} \\cdot 64 \\cdot u} = \\frac{6 \\times 13 \\times "
            "10^9 \\times 260 \\times 10^9}{312 \\times 10^{12} \\times 64 \\times "
            f"{u:g}}} \\approx {writeups.sci(seconds, 3)} \\text{{ s}} \\approx "
            f"{seconds / 86400:.1f} \\text{{ days}}$$\n")
    result = check(gpu, text, tmp_path)
    assert [r for r in result.relations if r.mark != "holds"] == []
    assert result.answers.answers["G5.mfu"].verdict == "correct"
    assert result.answers.answers["G5.time"].verdict == "correct"
    slipped = text.replace(f"{seconds / 86400:.1f} \\text{{ days}}",
                           f"{seconds / 3600:.1f} \\text{{ days}}")
    first = check(gpu, slipped, tmp_path).first_error
    assert first is not None and first.line == 5


def test_subscripts_name_new_quantities_like_primes(genai, tmp_path):
    text = writeups.genai_markdown().replace("L'", "L_{new}").replace("D'", "D_{\\rm new}")
    text = text.replace("0.99 \\times L =", "0.99 \\times L_{E1} =")
    result = check(genai, text, tmp_path)
    assert [r for r in result.relations if r.mark != "holds"] == []
    assert result.answers.answers["E2.D_new"].verdict == "correct"
    assert result.answers.answers["E2.L_target"].verdict == "correct"


def test_stated_answers_are_graded(genai, tmp_path):
    d_new = writeups.genai_values()["Dn"]
    text = (f"## E2\n\n**Answer:** {d_new / 1e12:.3f} trillion tokens\n\n"
            "Final answer = 9.9 epochs\n\n## E4\nAnswer: 350 GB\n")
    result = check(genai, text, tmp_path)
    verdicts = {aid: v.verdict for aid, v in result.answers.answers.items()}
    assert verdicts["E2.D_new"] == "correct"
    assert verdicts["E2.extra_epochs"] == "wrong"   # 9.9 is not 2.64 by any reading
    assert verdicts["E4.bytes_one"] == "correct"
    assert result.found["E2.D_new"][0] == 3
