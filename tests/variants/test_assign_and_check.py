"""Dealing variants to a roster and grading each student against their own variant."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest

from derivations.cli import main
from tests.variants.sheets import small


@pytest.fixture
def pool(runner, tmp_path):
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(small({"pool = 5": "pool = 6"}), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["variants", str(sheet), "-o", str(out), "--no-pdf", "-q"])
    assert result.exit_code == 0, result.output
    return sheet, out


def roster(tmp_path, students, name="roster.csv"):
    path = tmp_path / name
    path.write_text("student,name\n" + "".join(f"{s},Name {s}\n" for s in students))
    return path


def assignments(out) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO((out / "assignments.csv").read_text())))
    assert rows[0] == ["student", "variant", "pool"]
    assert len({row[2] for row in rows[1:]}) == 1  # every row names the one pool
    return {row[0]: row[1] for row in rows[1:]}


def test_deal_is_even_deterministic_and_never_v00(runner, tmp_path, pool):
    sheet, out = pool
    students = [f"s{i:02d}" for i in range(20)]
    result = runner.invoke(main, ["variants", "assign", str(sheet),
                                  str(roster(tmp_path, students)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    first = assignments(out)
    assert list(first) == students
    counts = Counter(first.values())
    assert set(counts) == {"v01", "v02", "v03", "v04", "v05", "v06"}
    assert max(counts.values()) - min(counts.values()) <= 1
    (out / "assignments.csv").unlink()
    runner.invoke(main, ["variants", "assign", str(sheet), str(roster(tmp_path, students)),
                         "-o", str(out)])
    assert assignments(out) == first


def test_new_students_and_reassign_change_nothing_else(runner, tmp_path, pool):
    sheet, out = pool
    students = [f"s{i:02d}" for i in range(12)]
    runner.invoke(main, ["variants", "assign", str(sheet), str(roster(tmp_path, students)),
                         "-o", str(out)])
    before = assignments(out)
    late = roster(tmp_path, [*students, "late1", "late2"], "roster2.csv")
    result = runner.invoke(main, ["variants", "assign", str(sheet), str(late), "-o", str(out)])
    assert result.exit_code == 0 and "2 students dealt, 12 kept" in result.stderr
    after = assignments(out)
    assert {s: after[s] for s in students} == before and {"late1", "late2"} <= set(after)
    result = runner.invoke(main, ["variants", "assign", str(sheet), str(late), "-o", str(out),
                                  "--reassign", "s03"])
    assert result.exit_code == 0, result.output
    moved = assignments(out)
    changed = [s for s in moved if moved[s] != after[s]]
    assert changed == ["s03"] and moved["s03"] != "v00"


def test_roster_with_duplicates_is_bad_input(runner, tmp_path, pool):
    sheet, out = pool
    result = runner.invoke(main, ["variants", "assign", str(sheet),
                                  str(roster(tmp_path, ["a", "b", "a"])), "-o", str(out)])
    assert result.exit_code == 2 and "roster.csv:4" in result.stderr
    assert "student 'a' appears twice" in result.stderr
    assert not (out / "assignments.csv").exists()


def own_answers(pool_file, assigned: dict[str, str]) -> str:
    """A class CSV where every student writes their own variant's displayed answers."""
    variants = {v["id"]: v for v in json.loads(pool_file.read_text())["variants"]}
    lines = ["student,P.C,P.bytes"]
    for student, vid in assigned.items():
        answers = variants[vid]["answers"]
        lines.append(f"{student},{answers['P.C']['display']},"
                     f"{answers['P.bytes']['display'].split(' = ')[0]}")
    return "\n".join(lines) + "\n"


def test_each_student_is_graded_against_their_own_variant(runner, tmp_path, pool):
    sheet, out = pool
    students = [f"s{i}" for i in range(8)]
    runner.invoke(main, ["variants", "assign", str(sheet), str(roster(tmp_path, students)),
                         "-o", str(out)])
    assigned = assignments(out)
    answers = tmp_path / "class.csv"
    answers.write_text(own_answers(out / "sheet.variants.json", assigned))
    args = ["check", str(sheet), str(answers), "--variants", str(out / "sheet.variants.json"),
            "--assignments", str(out / "assignments.csv"), "--format", "json"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    graded = json.loads(result.stdout)["students"]
    assert [g["variant"] for g in graded] == [assigned[s] for s in students]
    assert all(a["verdict"] == "correct" for g in graded for a in g["answers"].values())
    # the same answers against the sheet as written are wrong for most students
    plain = runner.invoke(main, ["check", str(sheet), str(answers), "--format", "json"])
    assert plain.exit_code == 1


def test_variant_column_wins_and_unknown_variant_is_reported(runner, tmp_path, pool):
    sheet, out = pool
    stored = json.loads((out / "sheet.variants.json").read_text())["variants"]
    v03 = stored[3]["answers"]
    answers = tmp_path / "class.csv"
    answers.write_text("student,variant,P.C,P.bytes\n"
                       f"a,v03,{v03['P.C']['display']},{v03['P.bytes']['display']}\n"
                       "b,,1e21,14 GB\n")
    result = runner.invoke(main, ["check", str(sheet), str(answers), "--variants",
                                  str(out / "sheet.variants.json")])
    assert result.exit_code == 1, result.output
    assert "a (v03): 2 / 2" in result.stdout
    assert "b: not graded: no variant" in result.stdout and "warning: b:" in result.stderr


def test_wrong_answers_still_get_diagnoses(runner, tmp_path, pool):
    sheet, out = pool
    v02 = json.loads((out / "sheet.variants.json").read_text())["variants"][2]
    answers = tmp_path / "one.json"
    wrong = v02["answers"]["P.C"]["value"] / 3  # 2ND instead of 6ND
    answers.write_text(json.dumps({"student": "x", "variant": "v02",
                                   "answers": {"P.C": f"{wrong:.4g}"}}))
    result = runner.invoke(main, ["check", str(sheet), str(answers), "--variants",
                                  str(out / "sheet.variants.json"), "--format", "json"])
    verdict = json.loads(result.stdout)["students"][0]["answers"]["P.C"]
    assert verdict["verdict"] == "wrong" and verdict["diagnosis"], verdict


def test_assignments_naming_an_unknown_variant_is_bad_input(runner, tmp_path, pool):
    sheet, out = pool
    (out / "assignments.csv").write_text("student,variant\na,v01\nb,v77\n")
    answers = tmp_path / "class.csv"
    answers.write_text("student,P.C\na,1e21\n")
    result = runner.invoke(main, ["check", str(sheet), str(answers), "--variants",
                                  str(out / "sheet.variants.json"), "--assignments",
                                  str(out / "assignments.csv")])
    assert result.exit_code == 2 and "assignments.csv:3" in result.stderr
    assert "unknown variant 'v77'" in result.stderr and result.stdout == ""


def test_a_pool_that_no_longer_matches_the_engine_is_refused(runner, tmp_path, pool):
    sheet, out = pool
    path = out / "sheet.variants.json"
    data = json.loads(path.read_text())
    data["variants"][1]["answers"]["P.C"]["value"] *= 1.001
    path.write_text(json.dumps(data))
    answers = tmp_path / "class.csv"
    answers.write_text("student,variant,P.C\na,v01,1e21\n")
    result = runner.invoke(main, ["check", str(sheet), str(answers), "--variants", str(path)])
    assert result.exit_code == 2, result.output
    assert "variant v01 changed since it was released" in result.stderr
    other = tmp_path / "other.toml"
    other.write_text(small({'salt = "test-salt"': 'salt = "new"'}))
    result = runner.invoke(main, ["check", str(other), str(answers), "--variants", str(path)])
    assert result.exit_code == 2 and "written for sheet 'sheet'" in result.stderr


def test_assignments_are_bound_to_their_sheet_and_pool(runner, tmp_path, pool):
    """Assigning week 4 into a folder holding week 5's assignments.csv once printed
    '1 students dealt, 5 kept': five students kept week-5 variants. Each row now names
    its pool (sheet name and salt fingerprint), and another sheet's file is refused."""
    sheet, out = pool
    students = ["a", "b", "c"]
    assert runner.invoke(main, ["variants", "assign", str(sheet),
                                str(roster(tmp_path, students)), "-o", str(out)]).exit_code == 0
    other = tmp_path / "week5.toml"
    other.write_text(small({'salt = "test-salt"': 'salt = "week5-salt"'}))
    assert runner.invoke(main, ["variants", str(other), "-o", str(out), "--no-pdf",
                                "-q"]).exit_code == 0  # week 5's pool, in the same folder
    result = runner.invoke(main, ["variants", "assign", str(other),
                                  str(roster(tmp_path, students + ["d"])), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "assignments.csv:2:" in result.stderr and "not from 'week5:" in result.stderr
    assert "keep each sheet's in its own folder" in result.stderr
    answers = tmp_path / "answers.csv"
    answers.write_text("student,P.C\na,1e21\n")
    graded = runner.invoke(main, ["check", str(other), str(answers), "--variants",
                                  str(out / "week5.variants.json"), "--assignments",
                                  str(out / "assignments.csv")])
    assert graded.exit_code == 2 and "was dealt from 'sheet:" in graded.stderr


def test_an_assignments_file_without_its_pool_is_kept_and_bound(runner, tmp_path, pool):
    sheet, out = pool
    (out / "assignments.csv").write_text("student,variant\na,v01\n")
    result = runner.invoke(main, ["variants", "assign", str(sheet),
                                  str(roster(tmp_path, ["a", "b"])), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "does not name its pool" in result.stderr and "1 students dealt, 1 kept" in \
        result.stderr
    assert assignments(out)["a"] == "v01"


@pytest.mark.parametrize(("name", "ids"), [
    ("moodle_participants_roster.csv", ["s001", "b@x.org"]),
    ("canvas_gradebook_roster.csv", ["s001", "102"]),
])
def test_an_lms_export_is_a_roster_with_the_ids_grading_reads(runner, tmp_path, pool, name,
                                                              ids):
    """Moodle's export was refused until a 'student' column was added by hand."""
    from tests.conftest import ROOT

    sheet, out = pool
    result = runner.invoke(main, ["variants", "assign", str(sheet),
                                  str(ROOT / "tests" / "fixtures" / name), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert list(assignments(out)) == ids
