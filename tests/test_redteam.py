"""Security, round 3: the red-team cases, kept as files in tests/fixtures/redteam/.

Each test reproduces one hole a hostile colleague or student found (issue 22) and
checks the promise docs/security.md makes about it. Slow-input cases run in a child
process with a generous guard (a hang detector, not a timing: the budgets themselves
are measured in benchmarks/run.py).
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from derivations.cli import main
from tests.conftest import PROBLEMS, ROOT
from tests.variants.sheets import small

REDTEAM = ROOT / "tests" / "fixtures" / "redteam"
MARKER = "pwned-by-template"  # what every payload in redteam/evil would create
GUARD = 300  # seconds: only a hang (the quadratic scans took minutes to hours) trips it


@pytest.fixture
def redteam(tmp_path, monkeypatch):
    """A copy of the red-team folder as the working directory, where a payload that ran
    would leave MARKER."""
    folder = tmp_path / "redteam"
    shutil.copytree(REDTEAM, folder)
    monkeypatch.chdir(folder)
    return folder


def no_payload_ran(folder: Path) -> bool:
    return not any(folder.rglob(MARKER)) and not (Path.cwd() / MARKER).exists()


def nothing_written(folder: Path) -> bool:
    """No document in `folder` (the build may have made the folder, and its state)."""
    return not folder.exists() or not [p for p in folder.iterdir()
                                       if not p.name.startswith(".")]


def refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# -- High 1: a sheet cannot run code -------------------------------------------------------
@pytest.mark.parametrize(("sheet", "fragment"), [
    ("dotdot.toml", "leads out of the sheet's folder with '..'"),
    ("absolute.toml", "is an absolute path"),
    ("drive.toml", "is an absolute path"),
])
@pytest.mark.parametrize("command", [["build", "--format", "html"], ["build", "--tex-only"],
                                     ["solve"]])
def test_a_sheet_names_templates_only_inside_its_own_folder(runner, redteam, sheet, fragment,
                                                            command):
    path = redteam / "sheets" / sheet
    args = [*command, str(path)] + (["-o", str(redteam / "out")] if command[0] == "build"
                                    else [])
    result = runner.invoke(main, args)
    refused(result, f"{path}:", "[output.templates]", fragment)
    assert nothing_written(redteam / "out") and no_payload_ran(redteam)


def test_a_symbolic_link_out_of_the_sheet_folder_is_refused(runner, redteam):
    (redteam / "sheets" / "link").symlink_to(redteam / "evil", target_is_directory=True)
    result = runner.invoke(main, ["build", "--format", "html", "-o", str(redteam / "out"),
                                  str(redteam / "sheets" / "symlink.toml")])
    refused(result, "[output.templates]", "leads out of the sheet's folder")
    assert nothing_written(redteam / "out") and no_payload_ran(redteam)


@pytest.mark.parametrize("command", [["build", "--format", "html"], ["build", "--tex-only"]])
def test_templates_inside_the_sheet_folder_render_in_a_sandbox(runner, redteam, command):
    result = runner.invoke(main, [*command, "-o", str(redteam / "out"),
                                  str(redteam / "sheets" / "inside.toml")])
    refused(result, "template error in solution.", "unsafe")
    assert no_payload_ran(redteam)
    assert not [p.name for p in (redteam / "out").glob("inside.*")]  # the handout may build


def test_the_grades_report_template_renders_in_a_sandbox(runner, redteam):
    answers = redteam / "class.csv"
    answers.write_text("student,G1.C\ns1,5.88e21\n")
    result = runner.invoke(main, ["check", str(redteam / "sheets" / "inside.toml"),
                                  str(answers), "--report", str(redteam / "grades.pdf")])
    refused(result, "grades.tex.j2", "unsafe")
    assert no_payload_ran(redteam) and not (redteam / "grades.pdf").exists()


def test_an_instructors_templates_folder_is_sandboxed_too(runner, redteam):
    result = runner.invoke(main, ["build", "--format", "html", "-o", str(redteam / "out"),
                                  "--templates", str(redteam / "evil"),
                                  str(ROOT / "tests" / "render" / "golden" / "small.toml")])
    refused(result, "unsafe")
    assert no_payload_ran(redteam)


# -- High 2: ids round-trip exactly --------------------------------------------------------
HOSTILE_IDS = ["@jdoe", "+44123", "-5", "=x", "'quoted", "s1"]


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_ids_round_trip_exactly_through_assign_check_reassign_and_gradebooks(runner, tmp_path):
    roster = REDTEAM / "roster_hostile_ids.csv"
    assert [r[0] for r in read_rows(roster)[1:]] == HOSTILE_IDS
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(small(), encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(main, ["variants", str(sheet), "-o", str(out), "--no-pdf",
                                "-q"]).exit_code == 0
    assert runner.invoke(main, ["variants", "assign", str(sheet), str(roster), "-o",
                                str(out)]).exit_code == 0
    dealt = {row[0]: row[1] for row in read_rows(out / "assignments.csv")[1:]}
    assert list(dealt) == HOSTILE_IDS  # byte for byte: no ', no stripping
    again = runner.invoke(main, ["variants", "assign", str(sheet), str(roster), "-o", str(out)])
    assert again.exit_code == 0 and "0 students dealt, 6 kept" in again.stderr, again.output
    assert {row[0]: row[1] for row in read_rows(out / "assignments.csv")[1:]} == dealt
    moved = runner.invoke(main, ["variants", "assign", str(sheet), str(roster), "-o", str(out),
                                 "--reassign", "@jdoe"])
    assert moved.exit_code == 0, moved.output
    dealt = {row[0]: row[1] for row in read_rows(out / "assignments.csv")[1:]}
    pool = {v["id"]: v for v in json.loads((out / "sheet.variants.json").read_text())
            ["variants"]}
    answers = tmp_path / "class.csv"
    with answers.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "P.C"])
        for student, variant in dealt.items():
            writer.writerow([student, pool[variant]["answers"]["P.C"]["display"]])
    check = ["check", str(sheet), str(answers), "--variants", str(out / "sheet.variants.json"),
             "--assignments", str(out / "assignments.csv")]
    result = runner.invoke(main, [*check, "--format", "json"])
    assert "not in the assignments" not in result.output + result.stderr
    graded = json.loads(result.stdout)["students"]
    assert [g["student"] for g in graded] == HOSTILE_IDS
    assert all(g["variant"] == dealt[g["student"]] for g in graded)
    assert all(g["answers"]["P.C"]["verdict"] == "correct" for g in graded)
    for lms, key in (("canvas", 2), ("moodle", 0), ("gradescope", 1)):
        book = tmp_path / f"{lms}.csv"
        done = runner.invoke(main, [*check, "--gradebook", lms, "-o", str(book)])
        assert done.exit_code in (0, 1), done.output
        assert [row[key] for row in read_rows(book)[1:]] == HOSTILE_IDS, lms


# -- High 3: one oversized cell marks one answer -------------------------------------------
def test_an_oversized_cell_is_that_answers_unparsed(runner, tmp_path):
    answers = tmp_path / "class.csv"
    essay = "I think " * 30000  # 240,000 characters, beyond csv's 131,072 default
    with answers.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "E1.C", "E1.L"])
        writer.writerow(["long", essay, "1.896"])
        writer.writerow(["fine", f"{6 * 67e9 * 4.1e12:.4g}", "1.896"])
    result = runner.invoke(main, ["check", str(PROBLEMS / "genai_week4.toml"), str(answers),
                                  "--format", "json"])
    assert result.exit_code == 1, result.output
    students = {s["student"]: s["answers"] for s in json.loads(result.stdout)["students"]}
    assert students["long"]["E1.C"]["verdict"] == "unparsed"
    assert students["long"]["E1.L"]["verdict"] == "correct"
    assert students["fine"]["E1.C"]["verdict"] == "correct"


def test_an_essay_in_an_untagged_moodle_slot_does_not_matter(runner, tmp_path):
    rows = read_rows(ROOT / "tests" / "fixtures" / "moodle_responses_dlp_week4.csv")
    rows[0] += ["Question 9", "Response 9"]
    for row in rows[1:]:
        row += ["Reflect on this week (an essay question, not from derive).", "Essay " * 40000]
    report = tmp_path / "moodle.csv"
    with report.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    pool = tmp_path / "pool"
    assert runner.invoke(main, ["variants", str(PROBLEMS / "dlp_week4.toml"), "-o", str(pool),
                                "--no-pdf", "-q"]).exit_code == 0
    result = runner.invoke(main, ["check", str(PROBLEMS / "dlp_week4.toml"), str(report),
                                  "--variants", str(pool / "dlp_week4.variants.json"),
                                  "--format", "json"])
    assert result.exit_code == 1, result.output
    students = json.loads(result.stdout)["students"]
    assert [s["student"] for s in students] == ["s001", "s002", "s003"]
    assert all(a["verdict"] == "correct" for a in students[0]["answers"].values())


# -- High 4: a write-up never stalls check-work ----------------------------------------------
def check_work_guarded(writeup: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "derivations", "check-work",
                           str(PROBLEMS / "dlp_week4.toml"), str(writeup)],
                          capture_output=True, text=True, timeout=GUARD, cwd=ROOT)


@pytest.mark.parametrize(("opener", "exit_code"), [
    ("\\begin{equation}", 1), ("\\[", 1), ("\\section{", 1), ("\\(", 1), ("```", 1),
    ("$$", 2), ("a$", 2),  # they close each other: 340,000 formulas, not a write-up
    ("\\[\n", 2),  # 700,000 lines: refused as not a write-up
])
def test_unclosed_openers_at_the_size_cap_are_text(tmp_path, opener, exit_code):
    writeup = tmp_path / "hostile.md"
    line = opener if opener.endswith("\n") else (opener + " ") * 20 + "\n"
    body = line * ((2 * 2**20 - 64) // len(line))
    writeup.write_text("# Q1\n" + body + "\n", encoding="utf-8")
    assert writeup.stat().st_size <= 2 * 2**20
    done = check_work_guarded(writeup)
    assert done.returncode == exit_code, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    if exit_code == 2:
        assert "not a single write-up" in done.stderr


@pytest.mark.parametrize("reference", ["\\eqref{", "\\ref{"])
def test_a_line_of_unclosed_references_is_read_in_one_pass(tmp_path, reference):
    """One 2 MiB line of `\\eqref{`: every reference used to scan to the line's end
    (119 s for 320,000 characters; hours at the cap). The guard fails a hang."""
    writeup = tmp_path / "references.md"
    writeup.write_text("# Q1\n" + reference * ((2 * 2**20 - 64) // len(reference)) + "\n",
                       encoding="utf-8")
    done = check_work_guarded(writeup)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr


def test_one_bad_write_up_never_stops_the_class(runner, tmp_path):
    binary, flood = tmp_path / "binary.md", tmp_path / "flood.md"
    binary.write_bytes(b"\x00\x01 not text")
    flood.write_text("# Q1\n" + "a$" * 500000 + "\n")  # `$a$` 250,000 times
    good = REDTEAM / "writeup_slips.md"
    result = runner.invoke(main, ["check-work", str(PROBLEMS / "dlp_week4.toml"), str(binary),
                                  str(good), str(flood), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert [w["file"] for w in data["writeups"]] == [str(good)]
    assert [r["file"] for r in data["refused"]] == [str(binary), str(flood)]
    assert f"warning: {binary}: a binary file" in result.stderr
    assert f"warning: {flood}: 250000 pieces of math" in result.stderr


def test_a_statement_of_braces_and_blanks_is_read_in_one_pass(runner, sheet_file):
    blanks = " " * 19000  # under the 20,000-character cap; 5,000 took minutes before
    text = small().replace('statement = "A model', 'statement = "{{' + blanks + 'A model')
    path = sheet_file(text)
    done = subprocess.run([sys.executable, "-m", "derivations", "solve", str(path)],
                          capture_output=True, text=True, timeout=GUARD, cwd=ROOT)
    assert done.returncode == 0, done.stderr


# -- Medium and low ----------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["q.zip", "sheet.toml", "link.txt"])
def test_every_output_is_checked_before_the_first_is_written(runner, tmp_path, text):
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(small(), encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text("keep")
    (tmp_path / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    result = runner.invoke(main, ["export", "canvas", str(sheet), "-o", str(tmp_path / "q.zip"),
                                  "--text", str(tmp_path / text)])
    refused(result)
    assert not (tmp_path / "q.zip").exists()
    assert sheet.read_text(encoding="utf-8") == small()
    assert (tmp_path / "elsewhere.txt").read_text() == "keep"


LITERAL = "A budget of $$\\input{/etc/passwd}$$, then \\(x\\) \\[y\\] and [tex]z[/tex]"


def visible(text: str) -> str:
    return text.replace("\u2060", "")


def no_math_delimiters(text: str) -> bool:
    return not any(d in text for d in ("$$", "\\(", "\\[", "\\input", "[tex]", "<tex>"))


def test_literal_math_delimiters_do_not_reach_moodles_filters(runner, tmp_path):
    out = tmp_path / "quiz.xml"
    result = runner.invoke(main, ["export", "moodle", str(REDTEAM / "lms_literal.toml"),
                                  "-o", str(out)])
    assert result.exit_code == 0, result.output
    texts = [q.findtext("questiontext/text") or "" for q in ET.parse(out).iter("question")
             if q.get("type") == "numerical"]
    assert texts and all(LITERAL in visible(t) for t in texts)  # shown as written
    assert all(no_math_delimiters(t) for t in texts)


def test_literal_math_delimiters_and_quotes_survive_canvas(runner, tmp_path):
    out, text = tmp_path / "quiz.zip", tmp_path / "quiz.txt"
    result = runner.invoke(main, ["export", "canvas", str(REDTEAM / "lms_literal.toml"),
                                  "-o", str(out), "--text", str(text)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist()
                      if n.endswith(".xml"))
    materials = [m.text or "" for m in ET.fromstring(
        xml[xml.index("<questestinterop"):]).iter() if m.tag.endswith("mattext")] \
        if "<questestinterop" in xml else []
    statement = next(m for m in materials if "budget" in m)
    assert no_math_delimiters(statement) and "budget of $" in visible(statement)
    assert '"100"' in statement and "“" not in statement  # no SmartyPants curly quotes


@pytest.mark.parametrize("value", ["nan", "inf", "1e999", "-5", "0", "ten"])
def test_a_bad_tex_time_limit_is_bad_input_before_any_output(runner, tmp_path, monkeypatch,
                                                             value):
    monkeypatch.setenv("DERIVE_TEX_TIMEOUT", value)
    result = runner.invoke(main, ["build", str(ROOT / "tests" / "render" / "golden" /
                                               "small.toml"), "-o", str(tmp_path / "out")])
    refused(result, "DERIVE_TEX_TIMEOUT must be a number of seconds above 0")
    assert not (tmp_path / "out").exists()


def test_a_transcendental_inline_equation_never_crashes(runner, sheet_file):
    path = sheet_file('title = "t"\n[given]\na = 1\nb = 2\nc = 3\n[[problems]]\nid = "P"\n'
                      '[[problems.asks]]\nid = "x"\n'
                      'equation = "x^4 + a*x^3*exp(x) - b*x^2*log(x) + c*x^(1/3) = 17"\n'
                      'solve_for = "x"\n')
    result = runner.invoke(main, ["solve", str(path), "--format", "json"])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code == 0:  # solved numerically: the root must satisfy the equation
        x = json.loads(result.stdout)["answers"]["P.x"]["value"]
        assert abs(x**4 + x**3 * math.exp(x) - 2 * x**2 * math.log(x) + 3 * x**(1 / 3)
                   - 17) < 1e-6
    else:
        assert "[problems.P.asks.x]" in result.stderr


def test_check_work_reads_factorials_and_says_what_it_cannot_evaluate(runner):
    result = runner.invoke(main, ["check-work", str(PROBLEMS / "dlp_week4.toml"),
                                  str(REDTEAM / "writeup_slips.md"), "--format", "json"])
    assert result.exit_code == 1, result.output
    lines = {m["line"]: m for m in json.loads(result.stdout)["relations"]}
    assert lines[3]["mark"] == "holds"  # 170! = 7.257415615...e306 (math.factorial)
    assert math.isclose(float(lines[3]["evaluated"].replace(" × 10³⁰⁶", "")) * 1e306,
                        math.factorial(170), rel_tol=1e-5)
    for number in (5, 7, 9):  # evaluated wrongly or not at all before: now said
        assert lines[number]["mark"] == "unchecked" and "not checked: " in \
            lines[number]["reason"]
    assert lines[11]["mark"] == "holds"  # 5!/(2! 3!) = 120 / 12 = 10
    assert lines[13]["mark"] == "false"  # 3! = 6
    assert lines[15]["mark"] == "holds"  # `Gradients!` is prose, not a factorial


# -- The Python API ------------------------------------------------------------------------------
@pytest.mark.parametrize(("source", "fragment"), [
    (None, "not NoneType"), (123, "not int"), (b"title = 't'", "decode bytes first"),
    ("sheet\0.toml", "NUL"),
])
def test_the_api_says_what_a_source_must_be(source, fragment):
    from derivations import solve
    from derivations.errors import DerivationsError

    with pytest.raises(DerivationsError, match=fragment):
        solve(source)


def test_the_api_checks_the_problem_and_the_size_of_toml_text():
    from derivations import solve
    from derivations.errors import ArgumentError
    from derivations.files import MAX_INPUT_BYTES

    with pytest.raises(ArgumentError, match="a problem id"):
        solve(PROBLEMS / "genai_week4.toml", problem=5)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="input cap is 64 MiB"):
        solve("title = 't'\n#" + "x" * MAX_INPUT_BYTES)
    assert isinstance(ArgumentError("source", "x"), TypeError)  # callers' except TypeError


def test_redteam_fixtures_are_documented():
    readme = (REDTEAM / "README.md").read_text(encoding="utf-8")
    for path in REDTEAM.rglob("*"):
        if path.is_file() and path.name != "README.md":
            assert path.relative_to(REDTEAM).as_posix() in readme or \
                path.parent.relative_to(REDTEAM).as_posix() + "/" in readme, path
