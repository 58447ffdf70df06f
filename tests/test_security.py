"""What a hostile or careless user can throw at derive: each case fails cleanly (exit 2,
one located line, no traceback, no partial output), runs nothing, and stays fast."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from derivations.cli import main
from tests.conftest import PROBLEMS

SMALL = (Path(__file__).parent / "render" / "golden" / "small.toml").read_text()
GENAI = PROBLEMS / "genai_week4.toml"
HOSTILE_NAMES = ["back`cd;touch {m}`tick", "dollar$(cd;touch {m})x", "semi;cd;touch {m};x",
                 'quote";cd;touch {m};"q', "per%cent%S", "tilde~x", "back\\slash",
                 "space d name", "single'quote';cd;touch {m};'"]


def sheet_with(given: str, asks: str = 'id = "C"\nformula = "training_compute"') -> str:
    return (f'title = "t"\n[given]\n{given}\nD = 1e12\n[[problems]]\nid = "P"\n'
            f"[[problems.asks]]\n{asks}\n")


def run_cli(runner, args: list[str]):
    start = time.perf_counter()
    result = runner.invoke(main, [str(a) for a in args])
    return result, time.perf_counter() - start


def assert_clean_failure(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# -- High 1: a file name never reaches a shell -----------------------------------------
#: Every character of the names above in one name, for the one run through real TeX.
ALL_IN_ONE = "all `$(cd;touch {m});'q\";%S~x\\b"


def _build_check_cheatsheet(runner, tmp_path: Path, name: str, tex: bool) -> Path:
    """Build the sheet, check a class (with a PDF report when `tex`) and write a cheat
    sheet, all under the hostile `name`. With `tex` False every step stops at the .tex,
    which is where a name could be misused: TeX itself runs under a fixed job name in
    a private folder (`test_latexmk_gets_a_fixed_job_name_and_no_shell`)."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    sheet = folder / f"{name}.toml"
    sheet.write_text(SMALL)
    out = tmp_path / "out dir"
    result = runner.invoke(main, ["build", "-o", str(out), "-q",
                                  *([] if tex else ["--tex-only"]), "--", str(sheet)])
    assert result.exit_code == 0, result.output
    built = out / f"{name}.pdf" if tex else out / f"{name}.tex"
    assert built.read_bytes().startswith(b"%PDF" if tex else b"%")
    answers = folder / f"{name}.csv"
    answers.write_text("student,G1.C,G1.bytes,G1.ok\nann,5.88e21,14 GB,true\n")
    report = tmp_path / f"{name}-report.pdf"
    result = runner.invoke(main, ["check", str(sheet), str(answers), "-o",
                                  str(tmp_path / f"{name}.txt"),
                                  *(["--report", str(report)] if tex else [])])
    assert result.exit_code == 0, result.output
    assert report.exists() == tex
    cheat = tmp_path / f"{name}-cheat.pdf"
    result = runner.invoke(main, ["cheatsheet", "--topic", "compute", "-o", str(cheat),
                                  *([] if tex else ["--tex-only"])])
    assert result.exit_code == 0, result.output
    assert (cheat if tex else cheat.with_suffix(".tex")).exists()
    return out


@pytest.mark.parametrize("pattern", HOSTILE_NAMES)
def test_hostile_file_names_build_check_and_report_without_running_anything(
        tmp_path, runner, monkeypatch, pattern):
    monkeypatch.setenv("HOME", str(tmp_path))  # `cd` in a shell goes here
    marker = tmp_path / "pwned"
    _build_check_cheatsheet(runner, tmp_path, pattern.format(m=marker.name), tex=False)
    assert not marker.exists(), "a command in a file name ran"


@pytest.mark.tex
def test_a_hostile_file_name_through_real_tex(tmp_path, runner, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    marker = tmp_path / "pwned"
    name = ALL_IN_ONE.format(m=marker.name)
    special = {c for n in HOSTILE_NAMES for c in n.format(m="m") if not c.isalnum()}
    assert special <= set(name), special - set(name)
    _build_check_cheatsheet(runner, tmp_path, name, tex=True)
    assert not marker.exists(), "a command in a file name ran"


def test_latexmk_gets_a_fixed_job_name_and_no_shell():
    from derivations.render import compile as tex

    command = tex.latexmk_command()
    assert command[-1] == f"{tex.JOB}.tex"
    assert not any("pdflatex=" in arg for arg in command)


# -- High 2: one student cannot stop the class -----------------------------------------
HUGE_AND_TINY = ["1e309", "1e400", "1 x 10^400", "1e300 TB", "[1e400,1,2,3]", "1e-300",
                 "5e-324", "-1e-320", "1e250 TB", "0", "-0", "1e-250"]


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_huge_and_tiny_answers_are_graded_not_fatal(tmp_path, runner, fmt):
    answers = tmp_path / "a.csv"
    with answers.open("w", newline="") as handle:
        writer = csv.writer(handle)
        ids = ["E1.C", "E1.L", "E4.bytes_one", "E6.bytes", "E7.rank"]
        writer.writerow(["student", *ids])
        for index, text in enumerate(HUGE_AND_TINY):
            writer.writerow([f"s{index}", *[text] * len(ids)])
        writer.writerow(["good", "1.648e24", "1.896", "350 GB", "36 MiB", "8"])
    result = runner.invoke(main, ["check", str(GENAI), str(answers), "--format", fmt])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        good = next(s for s in data["students"] if s["student"] == "good")
        assert all(good["answers"][aid]["verdict"] == "correct" for aid in ids)


# -- High 3 and Medium 4: expressions that would hang or crash --------------------------
@pytest.mark.parametrize("given,fragment", [
    ('N = "1e99999999"', "too large"),
    ("N = 1e99999999", "too large"),
    ('N = "((9999^9999)^9999)^9999"', "too large"),
    ('N = "2^(pi*10^9999)"', "too large"),
    ('N = "exp(10^9999)"', "too large"),
    ('N = "exp(exp(100))"', "beyond"),
    ('N = "1.01^2200"', "too large"),
    ('N = "0.999^5000"', "too large"),
    ('N = "10^-10000"', "too large"),
    ('N = "1e999999"', "too large"),
    ('N = "sqrt(-1)"', "not a real number"),
    ('N = "(-8)^0.5"', "not a real number"),
    ('N = "(-8)^(1/3)"', "not a real number"),
    ("N = nan", "not a finite number"),
    ("N = inf", "not a finite number"),
])
def test_bombs_and_non_real_values_are_located_and_fast(sheet_file, runner, given, fragment):
    path = sheet_file(sheet_with(given))
    result, seconds = run_cli(runner, ["solve", path])
    assert_clean_failure(result, f"{path}:3: [given.N]", fragment)
    assert seconds < 1.5


def test_huge_toml_integer_is_refused(sheet_file, runner):
    path = sheet_file(sheet_with("N = " + "9" * 5000))
    assert_clean_failure(runner.invoke(main, ["solve", str(path)]), "too large")


def test_squaring_chain_is_stopped_at_the_given_that_overflows(sheet_file, runner):
    lines = ['title = "t"', "[given]", "g0 = 3"]
    lines += [f'g{i} = "g{i - 1}*g{i - 1}"' for i in range(1, 40)]
    lines += ["[[problems]]", 'id = "P"', "[[problems.asks]]", 'id = "y"', 'expr = "g39"']
    path = sheet_file("\n".join(lines) + "\n")
    result, seconds = run_cli(runner, ["solve", path])
    assert_clean_failure(result, "[given.g13]", "digits")
    assert result.stderr.count("[given.") == 1
    assert seconds < 1.5


def test_high_degree_inline_equation_is_refused_quickly(sheet_file, runner):
    path = sheet_file('title = "t"\n[given]\nx = 2\n[[problems]]\nid = "P"\n'
                      '[[problems.asks]]\nid = "y"\nequation = "y = x^9999 + x"\n'
                      'solve_for = "x"\nbind = { y = "3" }\n')
    result, seconds = run_cli(runner, ["solve", path])
    assert_clean_failure(result, "[problems.P.asks.y]", "power 9999")
    assert seconds < 1.5


def test_time_limit_stops_a_slow_computation():
    from derivations.limits import LimitError, time_limit

    start = time.perf_counter()
    with pytest.raises(LimitError, match="took longer than 0.2 s"), \
            time_limit(0.2, "spinning"):
        while True:
            pass
    assert time.perf_counter() - start < 1


def test_a_long_sum_is_not_nested_too_deeply(sheet_file, runner):
    path = sheet_file(sheet_with('N = "' + "+".join(["1"] * 300) + '"'))
    result = runner.invoke(main, ["solve", str(path)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("text,fragment", [
    ("a = " + "[" * 3000 + "]" * 3000, "nested too deeply"),
])
def test_deeply_nested_toml_sheet(sheet_file, runner, text, fragment):
    path = sheet_file(text + "\n")
    assert_clean_failure(runner.invoke(main, ["solve", str(path)]), fragment)


@pytest.mark.parametrize("name,text", [
    ("deep.json", "[" * 100_000 + "]" * 100_000),
    ("deep.toml", "a = " + "[" * 3000 + "]" * 3000),
])
def test_deeply_nested_answers(tmp_path, runner, name, text):
    answers = tmp_path / name
    answers.write_text(text)
    assert_clean_failure(runner.invoke(main, ["check", str(GENAI), str(answers)]),
                         "nested too deeply")


def test_toml_datetime_answer_is_unparsed_not_fatal(tmp_path, runner):
    answers = tmp_path / "a.toml"
    answers.write_text('student = "x"\n[answers]\n"E1.C" = 1979-05-27T07:32:00Z\n')
    result = runner.invoke(main, ["check", str(GENAI), str(answers), "--format", "json"])
    assert result.exit_code == 1, result.output
    verdict = json.loads(result.stdout)["students"][0]["answers"]["E1.C"]["verdict"]
    assert verdict == "unparsed"


@pytest.mark.parametrize("limits,fragment", [
    ("from = 1e-300\nto = 1e300", None),
    ("from = 0\nto = 1e3", "a logarithmic axis needs positive limits"),
])
def test_sweep_over_extreme_ranges(sheet_file, runner, tmp_path, limits, fragment):
    givens = "N = 67e9\nE = 1.69\nA = 406.4\nB = 410.7\nalpha = 0.34\nbeta = 0.28"
    text = sheet_with(givens, 'id = "L"\nformula = "chinchilla_loss"') + (
        '\n[[plots]]\nid = "p"\nkind = "sweep"\nx = "D"\n'
        f'y = "P.L"\n{limits}\nlog_x = true\n')
    path = sheet_file(text)
    result = runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "o"), "-q",
                                  "--tex-only"])
    if fragment is None:
        assert result.exit_code == 0, result.output
    else:
        line = text.split("\n").index(limits.split("\n")[0]) + 1
        assert_clean_failure(result, f"{path}:{line}: [plots.p.from]", fragment)


# -- Medium 5 and 6: reads and writes ----------------------------------------------------
def test_devices_and_fifos_are_refused_without_hanging(tmp_path, runner):
    fifo = tmp_path / "sheet.toml"
    os.mkfifo(fifo)
    for args in (["solve", fifo], ["solve", "/dev/zero"], ["check", GENAI, "/dev/zero"],
                 ["check", GENAI, fifo], ["build", fifo, "-o", tmp_path / "o"]):
        result, seconds = run_cli(runner, args)
        assert_clean_failure(result, "not a regular file")
        assert seconds < 2


def test_outputs_never_replace_inputs_devices_or_symlinks(tmp_path, runner):
    sheet = tmp_path / "s.toml"
    sheet.write_text(GENAI.read_text())
    answers = tmp_path / "a.csv"
    answers.write_text("student,E1.C\nann,1.648e24\n")
    before = sheet.read_text()
    assert_clean_failure(runner.invoke(main, ["solve", str(sheet), "-o", str(sheet)]),
                         "also an input")
    assert_clean_failure(runner.invoke(main, ["check", str(sheet), str(answers), "-o",
                                              str(answers)]), "also an input")
    assert_clean_failure(runner.invoke(main, ["check", str(sheet), str(answers),
                                              "--report", str(sheet)]), "--report")
    assert sheet.read_text() == before
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert_clean_failure(runner.invoke(main, ["solve", str(sheet), "-o", str(link)]),
                         "symbolic link")
    assert target.read_text() == "keep"


def test_dev_null_is_not_replaced(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("only root could replace /dev/null")
    result = subprocess.run([sys.executable, "-m", "derivations", "solve", str(GENAI), "-o",
                             "/dev/null"], capture_output=True, text=True)
    assert result.returncode == 2
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dash_writes_to_standard_output(runner):
    result = runner.invoke(main, ["solve", str(GENAI), "--format", "json", "-o", "-"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["sheet"] == "genai_week4"


def test_output_below_a_file_and_state_file_as_folder(tmp_path, runner):
    afile = tmp_path / "afile"
    afile.write_text("x")
    small = tmp_path / "small.toml"
    small.write_text(SMALL)
    assert_clean_failure(runner.invoke(main, ["build", str(small), "-o", str(afile / "x"),
                                              "-q", "--tex-only"]), "cannot create")
    out = tmp_path / "out"
    (out / ".derive-state.json").mkdir(parents=True)
    assert_clean_failure(runner.invoke(main, ["build", str(small), "-o", str(out), "-q",
                                              "--tex-only"]), "not a regular file")


def test_read_only_output_folder(tmp_path, runner):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    small = tmp_path / "small.toml"
    small.write_text(SMALL)
    assert_clean_failure(runner.invoke(main, ["build", str(small), "-o", str(out), "-q",
                                              "--tex-only"]), "cannot write")


def test_written_files_follow_the_umask(tmp_path, runner):
    old = os.umask(0o022)
    try:
        out = tmp_path / "o.json"
        assert runner.invoke(main, ["solve", str(GENAI), "-o", str(out)]).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
    finally:
        os.umask(old)


# -- Medium 8 and Low: BOMs, text fields, CSV quirks, names ------------------------------
def test_byte_order_marks_are_accepted(tmp_path, runner):
    sheet = tmp_path / "s.toml"
    sheet.write_bytes(b"\xef\xbb\xbf" + GENAI.read_bytes())
    answers = tmp_path / "a.csv"
    answers.write_bytes(b"\xef\xbb\xbfstudent,E1.C\r\nann,1.648e24\r\n")
    result = runner.invoke(main, ["check", str(sheet), str(answers)])
    assert result.exit_code == 1 and "ann: 1 / 16" in result.stdout, result.output


@pytest.mark.parametrize("field,value,fragment", [
    ("title", '"a\\u0000b"', "control character U+0000"),
    ("title", '"a\\u007fb"', "control character U+007F"),
    ("title", '"' + "x" * 400 + '"', "at most 300"),
])
def test_text_fields_are_checked(sheet_file, runner, field, value, fragment):
    path = sheet_file(SMALL.replace('title = "Golden sheet"', f"{field} = {value}"))
    assert_clean_failure(runner.invoke(main, ["solve", str(path)]), "[title]", fragment)


def test_newlines_in_titles_are_folded(sheet_file, runner, tmp_path):
    path = sheet_file(SMALL.replace('title = "Golden sheet"', 'title = "two\\nlines"'))
    result = runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "o"), "-q",
                                  "--tex-only"])
    assert result.exit_code == 0
    assert "two lines" in (tmp_path / "o" / "sheet.tex").read_text()


@pytest.mark.parametrize("entries,fragment", [
    ('["%"]', "expected a list of symbol names"),
    ('["banana"]', "unknown quantity 'banana'"),
])
def test_independent_of_entries_are_checked(sheet_file, runner, entries, fragment):
    text = SMALL.replace('formula = "weight_memory"',
                         f'formula = "weight_memory"\nindependent_of = {entries}')
    path = sheet_file(text)
    assert_clean_failure(runner.invoke(main, ["solve", str(path)]), fragment)


@pytest.mark.parametrize("csv_text,fragment", [
    ("student,E1.C,E1.C\nann,1,2\n", "appears 2 times"),
    ("student,student,E1.C\nann,bob,1\n", "appears 2 times"),
    ("student,E1.C\nann,1\nann,2\n", "appears twice"),
    ('student,E1.C\nann,"1\n', "malformed CSV"),
    ("student,E1.C\nann,1,2\n", "has 3 cells"),
    ("student,E1.C\n", "no student rows"),
    ("student,,E1.C\nann,,1\n", "has no name"),
])
def test_ambiguous_csv_is_refused(tmp_path, runner, csv_text, fragment):
    answers = tmp_path / "a.csv"
    answers.write_text(csv_text)
    assert_clean_failure(runner.invoke(main, ["check", str(GENAI), str(answers)]), fragment)


def test_student_names_cannot_forge_lines_or_escape_codes(tmp_path, runner):
    answers = tmp_path / "a.csv"
    answers.write_text('student,E1.C\n"eve\nbob: 16 / 16",1\n"\x1b[31mred",1\n')
    result = runner.invoke(main, ["check", str(GENAI), str(answers)])
    lines = result.stdout.splitlines()
    assert "bob: 16 / 16" not in lines
    assert "\x1b" not in result.stdout
    assert any(line.startswith("eve\\nbob: 16 / 16: 0 / 16") for line in lines)


def test_csv_output_neutralises_formulas(tmp_path, runner):
    answers = tmp_path / "a.csv"
    answers.write_text('student,E1.C\n"=HYPERLINK(""http://x"",""y"")",=1+1\n@cmd,-5\n')
    result = runner.invoke(main, ["check", str(GENAI), str(answers), "--format", "csv"])
    rows = list(csv.reader(result.stdout.splitlines()))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), row
            assert not cell.startswith("-") or cell.replace(".", "").lstrip("-").isdigit()
    assert any(row[0] == "'=HYPERLINK(\"http://x\",\"y\")" for row in rows)


def test_a_large_class_streams(tmp_path, runner):
    answers = tmp_path / "big.csv"
    with answers.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "E1.C", "E7.rank"])
        for index in range(3000):
            writer.writerow([f"s{index}", "1.648e24", "8" if index % 2 else "4"])
    out = tmp_path / "grades.json"
    result = runner.invoke(main, ["check", str(GENAI), str(answers), "--format", "json",
                                  "-o", str(out)])
    assert result.exit_code == 1
    data = json.loads(out.read_text())
    assert len(data["students"]) == 3000
    assert data["summary"]["E7.rank"]["correct"] == 1500


def test_bad_source_date_epoch_is_reported(tmp_path, runner, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    small = tmp_path / "small.toml"
    small.write_text(SMALL)
    result = runner.invoke(main, ["build", str(small), "-o", str(tmp_path / "o"), "-q"])
    assert_clean_failure(result, "SOURCE_DATE_EPOCH must be a whole number")


def test_truncated_pdf_is_rebuilt(tmp_path):
    from derivations.render.build import Target

    target = Target("x", tmp_path)
    target.tex.write_text("x")
    target.pdf.write_bytes(b"")
    assert not target.is_built()
    target.pdf.write_bytes(b"%PDF-1.5\n...\n%%EOF\n")
    assert target.is_built()


def test_concurrent_builds_keep_each_others_state(tmp_path):
    from derivations.render.build import STATE_FILE, _update_state

    _update_state(tmp_path, {"a": "1"})
    _update_state(tmp_path, {"b": "2"})
    assert json.loads((tmp_path / STATE_FILE).read_text()) == {"a": "1", "b": "2"}


@pytest.mark.tex
def test_tex_time_limit_keeps_the_previous_pdf(tmp_path, runner, monkeypatch):
    small = tmp_path / "small.toml"
    small.write_text(SMALL)
    out = tmp_path / "o"
    assert runner.invoke(main, ["build", str(small), "-o", str(out), "-q"]).exit_code == 0
    before = (out / "small.pdf").read_bytes()
    monkeypatch.setenv("DERIVE_TEX_TIMEOUT", "0.05")
    result = runner.invoke(main, ["build", str(small), "-o", str(out), "-q", "--force"])
    assert_clean_failure(result, "was stopped")
    assert (out / "small.pdf").read_bytes() == before


@pytest.mark.tex
def test_sigterm_removes_scratch_folders_and_tex(tmp_path):
    small = tmp_path / "small.toml"
    small.write_text(SMALL)
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "derivations", "build", str(small),
                                "-o", str(tmp_path / "o"), "-q"], env=env)
    deadline = time.time() + 20
    while not list(tmp_path.glob("derive-*")) and time.time() < deadline:
        time.sleep(0.02)
    process.terminate()
    assert process.wait(timeout=20) == 143
    assert not list(tmp_path.glob("derive-*"))
    leftover = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""
