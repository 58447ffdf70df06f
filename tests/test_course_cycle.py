"""A whole course cycle from the docs alone, as one script: sheet -> variants -> roster
from a Moodle participants export -> Moodle quiz -> the quiz's Responses report (two
attempts by one student, an `@handle` id, an essay slot, a malformed tag) -> check ->
the three gradebooks -> a second `assign` with late students.

Every expected value comes from the pool file derive wrote (what each student was
handed) and from arithmetic here, never from the grader under test."""

from __future__ import annotations

import csv
import io
import json

from derivations.cli import main
from tests.variants.sheets import small

STUDENTS = [("Ana", "Ng", "s001"), ("Bo", "Li", "@jdoe"), ("Cy", "Ko", "s003")]


def moodle_report(pool: dict, dealt: dict[str, str]) -> str:
    """The Responses report Moodle would give for this quiz: slot 1 P.C, slot 2 P.bytes,
    slot 3 an essay question derive did not write. s001 answers twice (a wrong first
    attempt); @jdoe's slot 2 carries a malformed tag; s003 gets P.bytes wrong by 2."""
    variants = {v["id"]: v for v in pool["variants"]}
    header = ["Last name", "First name", "ID number", "Email address", "State", "Started on",
              "Completed", "Time taken", "Grade/2.00"] + [
        f"{kind} {n}" for n in (1, 2, 3) for kind in ("Question", "Response")]
    rows = [header]
    for index, (first, last, sid) in enumerate(STUDENTS):
        vid = dealt[sid]
        answers = variants[vid]["answers"]
        tag_bytes = f"[sheet.P.bytes.{vid}]" if sid != "@jdoe" else f"[sheet.P.bytes.{vid[1:]}]"
        written_bytes = answers["P.bytes"]["value"] * (2 if sid == "s003" else 1)
        cells = [last, first, sid, f"{first.lower()}@example.org", "Finished",
                 f"1 December 2026  10:{index:02d} AM", "1 December 2026  11:00 AM", "1 hour",
                 "2.00", f"Training compute [sheet.P.C.{vid}]", f"{answers['P.C']['value']:.6g}",
                 f"Weight memory {tag_bytes}", f"{written_bytes / 1e9:.6g} GB",
                 "Explain your steps.", "I used 6ND."]
        rows.append(cells)
        if sid == "s001":  # an earlier, wrong attempt
            earlier = list(cells)
            earlier[5], earlier[8], earlier[10] = "1 December 2026  9:00 AM", "1.00", "1"
            rows.append(earlier)
    rows.append(["Overall average"] + [""] * (len(header) - 1))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def test_a_course_cycle_runs_from_the_docs(runner, tmp_path):
    def derive(*args: object, code: int = 0) -> tuple[str, str]:
        result = runner.invoke(main, [str(a) for a in args])
        assert result.exit_code == code, (args, result.output)
        return result.stdout, result.stderr

    def rows(path) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(path.read_text())))

    sheet = tmp_path / "sheet.toml"
    sheet.write_text(small({"pool = 5": "pool = 4"}))
    out = tmp_path / "build"
    derive("variants", sheet, "-o", out, "--no-pdf", "-q")
    roster = tmp_path / "participants.csv"  # Moodle: Participants -> Download (CSV)
    roster.write_text("First name,Last name,ID number,Email address\n" + "".join(
        f"{f},{la},{sid},{f.lower()}@example.org\n" for f, la, sid in STUDENTS))
    derive("variants", "assign", sheet, roster, "-o", out)
    dealt = {row["student"]: row["variant"] for row in rows(out / "assignments.csv")}
    assert set(dealt) == {sid for _, _, sid in STUDENTS} and "v00" not in dealt.values()
    pool_file = out / "sheet.variants.json"
    quiz = tmp_path / "quiz.xml"
    derive("export", "moodle", sheet, "--variants", pool_file, "-o", quiz, "-q")
    for sid in dealt:
        assert f"[sheet.P.C.{dealt[sid]}]" in quiz.read_text()

    report = tmp_path / "responses.csv"
    report.write_text(moodle_report(json.loads(pool_file.read_text()), dealt))
    shown, notes = derive("check", sheet, report, "--variants", pool_file, "--format", "json",
                          code=1)
    graded = {s["student"]: s["answers"] for s in json.loads(shown)["students"]}
    assert graded["s001"]["P.C"]["verdict"] == "correct"  # the last attempt, not the first
    assert graded["@jdoe"]["P.C"]["verdict"] == "correct"  # an id that starts with @
    assert graded["@jdoe"]["P.bytes"]["verdict"] == "unparsed"  # the malformed tag
    assert graded["s003"]["P.bytes"]["verdict"] == "wrong"  # twice the bytes
    assert "has 2 attempts" in notes and "the report's average row" in notes
    assert "no row's Question 3 carries a tag" in notes  # the essay: noted, not graded
    assert graded["s001"]["P.bytes"]["verdict"] == "correct"

    for lms, id_column in (("moodle", "ID number"), ("canvas", "SIS User ID"),
                           ("gradescope", "SID")):
        book = tmp_path / f"{lms}.csv"
        derive("check", sheet, report, "--variants", pool_file, "--gradebook", lms, "-o",
               book, "--exit-zero")
        ids = [row[id_column] for row in rows(book)]
        assert "@jdoe" in ids and "s001" in ids, (lms, ids)  # ids byte for byte

    late = tmp_path / "participants2.csv"
    late.write_text(roster.read_text() + "Di,Wu,s004,di@example.org\n")
    assert "1 students dealt, 3 kept" in derive("variants", "assign", sheet, late, "-o", out)[1]
    again = {row["student"]: row["variant"] for row in rows(out / "assignments.csv")}
    assert {s: again[s] for s in dealt} == dealt and "s004" in again
