r"""Measured performance ratios (printed, never asserted): `make bench`.

Each figure is a ratio of two timings taken in this one run on this machine, so it
does not depend on how fast the machine is. Medians over several runs for the fast
commands; the TeX builds are slow and are run twice each.

Targets (from the issues):
  help        derive --help            <= 1.5 x  python -c 'import click'
  solve       solving the shipped sheets <= 2.0 x  python -c 'import sympy'
  cold build  derive build (all)       <= 1.3 x  latexmk alone on the same .tex files
  warm build  unchanged rebuild        <= 2.0 x  derive --help
  jobs        --jobs 2 vs --jobs 1     speed-up reported
  check       grading 1000 students    <= 3.0 x  derive solve on the same sheet
  html        derive build --format html SHEET   <= 2.0 x  derive solve SHEET (each sheet)
  api         python: from derivations import solve; solve(SHEET)  <= 1.0 x  derive solve
  variants    derive variants genai_week4 (40 variants, all PDFs) <= 10 x  cold build of
              its solution PDF alone; --no-pdf (solving and vetting 40+) <= 3 x  derive solve;
              1000 variants, --no-pdf <= 15 x  derive solve (every core; -j 1 reported);
              the draws are timed with --no-tests, and the question tests `derive
              variants` marks on every variant before writing are reported beside
              (`derive test` on the pool, against the draws alone)
  large       `benchmarks/run.py --large` (make bench-large): 1000 variants with every PDF,
              time and peak memory reported
  check-work  derive check-work on the seed write-up  <= 3 x  derive solve on its sheet;
              100 similar write-ups in one run       <= 20 x derive solve
  hostile     a 2 MiB write-up of unclosed openers (`\begin{equation}`, `\[`, `$$`,
              `\section{`, `$`) <= 5 x derive solve, and <= 2.5 x the same at 1 MiB (linear)
  sandbox     derive build --format html with Jinja's SandboxedEnvironment <= 1.2 x the
              same with a plain Environment
  regex audit every module-level pattern on adversarial text of 80,000 characters
              <= 10 x the time on 20,000 (linear is 4, timing noise reaches about 8;
              quadratic would be 16)
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DERIVE = str(BIN / "derive")
PY = sys.executable
SHEETS = sorted(str(p) for p in (ROOT / "problems").glob("*.toml"))


def timed(command: list[str], runs: int = 5, cwd: Path = ROOT, env: dict | None = None,
          before=None) -> float:
    """Median wall time of `command` over `runs` runs (seconds)."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, ours: float, base: float, target: float | None) -> None:
    ratio = ours / base
    verdict = "" if target is None else ("  ok" if ratio <= target else f"  OVER {target}x")
    print(f"{name:<34} {ours * 1000:8.0f} ms / {base * 1000:8.0f} ms = {ratio:5.2f}x{verdict}")


SOLVE_ALL = ("from pathlib import Path\n"
             "from derivations.solver import engine\n"
             "from derivations.sheet.spec import load_sheet\n"
             "for p in map(Path, {sheets!r}):\n"
             "    engine.solution_of(load_sheet(p.read_text(), str(p), p.stem))\n")


def main() -> None:
    # Users run with bytecode caches; a machine that sets PYTHONDONTWRITEBYTECODE would
    # make every start-up recompile every module and measure the source size instead.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if sys.argv[1:] == ["--large"]:
        large_pdf_figures()
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; medians of repeated runs")
    click_import = timed([PY, "-c", "import click"])
    report("derive --help vs import click", timed([DERIVE, "--help"]), click_import, 1.5)
    sympy_import = timed([PY, "-c", "import sympy"])
    solve_all = timed([PY, "-c", SOLVE_ALL.format(sheets=SHEETS)])
    report("solve shipped sheets vs sympy", solve_all, sympy_import, 2.0)
    html_figures()
    variants_figures()
    check_figures()
    check_work_figures()
    hostile_figures()
    sandbox_figures()
    regex_audit_figures()
    reading_figures()
    labelled_class_figures()
    stream_figures()
    build_figures()


def labelled_class_figures() -> None:
    """Accuracy of the grader on a generated class with known labels (not timings)."""
    sys.path.insert(0, str(ROOT))
    from derivations.sheet.spec import load_sheet
    from derivations.solver import engine
    from tests.grade.labelled_class import measure

    solved = {}
    for name in ("genai_week4", "dlp_week4", "gpu_memory"):
        path = ROOT / "problems" / f"{name}.toml"
        solved[name] = engine.solution_of(load_sheet(path.read_text(), str(path), name))
    rates = measure(solved)
    print(f"{'labelled class: correct rejected':<34} {rates['rejected']:5d} / "
          f"{rates['right']:5d} = {rates['false_reject'] * 100:5.2f}%  (target <= 2%)")
    print(f"{'labelled class: wrong accepted':<34} {rates['accepted']:5d} / "
          f"{rates['wrong']:5d} = {rates['false_accept'] * 100:5.2f}%  (target <= 0.5%)")
    print(f"{'labelled class: mistakes named':<34} {rates['named']:5d} / "
          f"{rates['mistakes']:5d}; garbage diagnosed: {rates['confident']} "
          f"of {rates['garbage']}")


#: The last commit with the answer reader this project had before the one reader
#: (`derivations/grade/answers.py`): the reading-speed figure compares against it.
READER_BASELINE = "1258549"


def reading_figures() -> None:
    """The one reader per answer against the reader it replaced, on the corpus's
    answers: the forms both read (one figure and a unit word) and all of them (most
    of which the old reader refused quickly)."""
    import csv
    import importlib.util

    from derivations.read import answer

    texts: list[str] = []
    for name in ("genai_class.csv", "dlp_class.csv", "lecture_class.csv"):
        with (ROOT / "tests" / "corpus" / "answers" / name).open(newline="") as handle:
            texts += [cell for row in csv.reader(handle) for cell in row[1:] if cell]
    simple = [t for t in texts if answer._plain_figure(answer.clean(t)[0], t, "") is not None]
    shown = subprocess.run(["git", "show", f"{READER_BASELINE}:derivations/grade/answers.py"],
                           cwd=ROOT, capture_output=True, text=True)
    if shown.returncode:
        print(f"{'reading (baseline not in git)':<34} skipped")
        return
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "baseline_answers.py"
        path.write_text(shown.stdout)
        spec = importlib.util.spec_from_file_location("baseline_answers", path)
        assert spec is not None and spec.loader is not None
        old = importlib.util.module_from_spec(spec)
        sys.modules["baseline_answers"] = old
        spec.loader.exec_module(old)
    for label, sample, target in (("simple forms", simple, 1.1), ("all corpus forms", texts,
                                                                    None)):
        ours = per_answer(answer.read_answer, answer._read.cache_clear, sample)
        base = per_answer(old.parse_answer, old._parse_text.cache_clear, sample)
        report(f"read {len(sample)} {label} vs old", ours, base, target)


def per_answer(read, clear, texts: list[str]) -> float:  # noqa: ANN001 - two readers
    """Seconds to read every text once, cold cache, best of seven."""
    best = math.inf
    for _ in range(7):
        clear()
        start = time.perf_counter()
        for text in texts:
            read(text)
        best = min(best, time.perf_counter() - start)
    return best


def stream_figures() -> None:
    """Peak memory of grading a 100,000-row class (streamed) against the same CSV's size."""
    import csv
    import resource

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "big.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["student", "E1.C", "E1.L", "E6.bytes", "E7.rank"])
            for index in range(100_000):
                writer.writerow([f"s{index}", "1.648e24", "1.9" if index % 3 else "1.896",
                                 "36 MiB", str(8 - index % 2)])
        start = time.perf_counter()
        subprocess.run([DERIVE, "check", str(ROOT / "problems" / "genai_week4.toml"),
                        str(path), "--format", "csv", "-o", str(Path(scratch) / "o.csv")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size = path.stat().st_size / 2**20
        print(f"{'check 100k-row class (streamed)':<34} {seconds * 1000:8.0f} ms, peak "
              f"{peak:.0f} MB for a {size:.1f} MB CSV")


def check_figures() -> None:
    """Grade a synthetic class of 1000 (mixed right and wrong answers)."""
    import csv
    import json
    import random

    sheet = str(ROOT / "problems" / "genai_week4.toml")
    solved = json.loads(subprocess.run([DERIVE, "solve", sheet, "--format", "json"],
                                       check=True, capture_output=True, text=True).stdout)
    ids = list(solved["answers"])
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "class.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["student", *ids])
            for index in range(1000):
                row = []
                for aid in ids:
                    value = solved["answers"][aid]["value"]
                    factor = rng.choice([1, 1, 1, 1.003, 2, 0.1, 0.5])
                    row.append(f"{value * factor:.5g}")
                writer.writerow([f"s{index}", *row])
        out = Path(scratch) / "grades.json"
        grade = [DERIVE, "check", sheet, str(path), "--format", "json", "-o", str(out)]
        checking = timed_allowing_exit_1(grade, runs=3)
        solving = timed([DERIVE, "solve", sheet, "--format", "json"], runs=3)
        report("check 1000 students vs solve", checking, solving, 3.0)
        print(f"{'answers checked per second':<34} {1000 * len(ids) / checking:8.0f}")


def html_figures() -> None:
    """Web pages (solutions and questions, no TeX) against solving, sheet by sheet; and
    the Python API in a fresh interpreter against the command line."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "pages"
        pages_total = solve_total = 0.0
        for sheet in SHEETS:
            pages = timed([DERIVE, "build", "--format", "html", "-q", "-o", str(out), sheet],
                          before=lambda: shutil.rmtree(out, ignore_errors=True))
            solving = timed([DERIVE, "solve", sheet])
            pages_total, solve_total = pages_total + pages, solve_total + solving
            report(f"html {Path(sheet).stem} vs solve", pages, solving, 2.0)
        report("html all sheets vs solve each", pages_total, solve_total, 2.0)
    sheet = SHEETS[0]
    api = timed([PY, "-c", f"from derivations import solve; solve({sheet!r})"])
    report(f"API solve {Path(sheet).stem} vs derive", api, timed([DERIVE, "solve", sheet]),
           1.0)


SOLUTION_ONLY = ("from pathlib import Path\n"
                 "from derivations.pipeline import build\n"
                 "from derivations.render.build import Target\n"
                 "build([Target('genai_week4', Path({out!r}), sheet=Path({sheet!r}))])\n")


def variants_figures() -> None:
    """A pool of 40 variants of genai_week4: PDFs against one cold solution PDF, and
    solving (with vetting) against one `derive solve`; also with no rearrangement cache."""
    sheet = str(ROOT / "problems" / "genai_week4.toml")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"

        def clean() -> None:
            shutil.rmtree(out, ignore_errors=True)

        single = timed([PY, "-c", SOLUTION_ONLY.format(out=str(out), sheet=sheet)], runs=2,
                       before=clean)
        pool = timed([DERIVE, "variants", sheet, "-q", "-o", str(out)], runs=1, before=clean)
        report("40 variants + PDFs vs 1 solution PDF", pool, single, 10.0)
        drawing = [DERIVE, "variants", sheet, "-q", "--no-pdf", "--no-tests", "-o", str(out)]
        solving = timed(drawing, runs=2)
        once = timed([DERIVE, "solve", sheet], runs=3)
        report("40 variants, no PDF vs derive solve", solving, once, 3.0)
        tested = timed([DERIVE, "variants", sheet, "-q", "--no-pdf", "-o", str(out)], runs=1)
        report("  with their question tests, vs the draws alone", tested, solving, None)
        cold = {**os.environ, "DERIVATIONS_CACHE": "off"}
        solving = timed(drawing, runs=1, env=cold)
        cold_once = timed([DERIVE, "solve", sheet], runs=2, env=cold)
        report("  the same, no rearrangement cache", solving, cold_once, 3.0)
        large = [*drawing, "--pool", "1000"]
        drawn = timed(large, runs=1)
        report("1000 variants, no PDF vs solve", drawn, once, 15.0)
        report("  the same on one process (-j 1)", timed([*large, "-j", "1"], runs=1), once,
               None)
        tests = timed([DERIVE, "test", sheet, "-q", "--variants",
                       str(out / "genai_week4.variants.json")], runs=1)
        report("  question tests on those 1000 variants, vs the draws", tests, drawn, None)


def large_pdf_figures() -> None:
    """Per-variant PDFs for 1,000 students in one run (`make bench-large`: about ten
    minutes on two cores): the time, and the peak memory of derive and of TeX."""
    import resource

    sheet = str(ROOT / "problems" / "genai_week4.toml")
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        subprocess.run([DERIVE, "variants", sheet, "-q", "--pool", "1000", "-o", scratch],
                       check=True)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pdfs = len(list(Path(scratch).glob("*.pdf")))
    print(f"1000 variants with PDFs: {seconds:.0f} s for {pdfs} PDFs; peak memory of the "
          f"largest process {peak:.0f} MiB")


def check_work_figures() -> None:
    """derive check-work on the seed write-up, and on a class of 100 write-ups like it
    (each with its own numbers: half are the seed with one figure changed, half are
    generated correct write-ups with a different slip in D')."""
    sys.path.insert(0, str(ROOT))
    from tests.work.writeups import genai_markdown

    sheet = str(ROOT / "problems" / "genai_week4.toml")
    seed = ROOT / "tests" / "fixtures" / "writeups" / "genai_week4_seed.md"
    solving = timed([DERIVE, "solve", sheet])
    seed_time = timed_allowing_exit_1([DERIVE, "check-work", sheet, str(seed)], 5)
    report("check-work seed vs solve", seed_time, solving, 3.0)
    with tempfile.TemporaryDirectory() as scratch:
        paths = []
        for k in range(100):
            text = seed.read_text().replace("6.48", f"{6.30 + k / 100:.2f}") if k % 2 \
                else genai_markdown(1 + k / 2000)
            path = Path(scratch) / f"student{k:03}.md"
            path.write_text(text)
            paths.append(str(path))
        whole = timed_allowing_exit_1([DERIVE, "check-work", sheet, *paths], 3)
        report("check-work 100 write-ups vs solve", whole, solving, 20.0)
        long = Path(scratch) / "long.md"  # near the 5,000-formula bound: must not crawl
        long.write_text("# E1\n" + "".join(
            f"Prose between the formulas, as in a long write-up. {k}\n$$C = 6 \\times 67 "
            f"\\times 10^9 \\times 4.1 \\times 10^{{12}} = {1.6482 + k * 1e-5:.4f} "
            "\\times 10^{24}$$\n" for k in range(4000)))
        huge = timed_allowing_exit_1([DERIVE, "check-work", sheet, str(long)], 1)
        report("check-work 4000 formulas vs solve", huge, solving, None)


#: Lines that open math, a heading or a code block and never close: a write-up made of
#: one of them, at the 2 MiB cap, must be read in one pass (issue 22).
HOSTILE_LINES = {name: (opener + " ") * 20 + "\n" for name, opener in (
    ("begin-equation", "\\begin{equation}"), ("bracket", "\\["), ("dollars", "$$ x = 1"),
    ("section", "\\section{"), ("inline", "a$"), ("paren", "\\("))}


def hostile_figures() -> None:
    """check-work on 2 MiB of unclosed openers: against solve, and against 1 MiB of the
    same (about 2 when linear; the lazy patterns it replaced took minutes)."""
    sheet = str(ROOT / "problems" / "dlp_week4.toml")
    solving = timed([DERIVE, "solve", sheet], runs=3)
    with tempfile.TemporaryDirectory() as scratch:
        for name, line in HOSTILE_LINES.items():
            times = {}
            for size in (2**20, 2 * 2**20 - 64):
                path = Path(scratch) / f"{name}-{size}.md"
                path.write_text("# Q1\n" + line * ((size - 6) // len(line)) + "\n")
                times[size] = timed_allowing_exit_2([DERIVE, "check-work", sheet, str(path)])
            small, large = times.values()
            report(f"hostile {name} 2 MiB vs solve", large, solving, 5.0)
            report(f"hostile {name} 2 MiB vs 1 MiB", large, small, 2.5)


SANDBOX_OFF = ("import jinja2, sys\n"
               "import derivations.render.jinja as j\n"
               "j.SandboxedEnvironment = jinja2.Environment\n"
               "from derivations.cli import main\n"
               "sys.argv = ['derive'] + {args!r}\n"
               "main()\n")


def sandbox_figures() -> None:
    """Every template renders in Jinja's sandbox: its cost on a whole HTML build."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "pages"
        args = ["build", "--format", "html", "-q", "--force", "-o", str(out), *SHEETS]
        sandboxed = timed([DERIVE, *args], runs=5)
        plain = timed([PY, "-c", SANDBOX_OFF.format(args=args)], runs=5)
        report("sandboxed templates vs plain", sandboxed, plain, 1.2)


def regex_audit_figures() -> None:
    """Each module-level pattern of the package on adversarial text built from its own
    characters, at 20,000 and 80,000 characters: the worst growth found (docs/security.md
    lists the audit)."""
    import importlib
    import itertools
    import pkgutil
    import re

    import derivations

    worst: list[tuple[float, str, str]] = []
    for info in pkgutil.walk_packages(derivations.__path__, "derivations."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, pattern in vars(module).items():
            if not isinstance(pattern, re.Pattern) or not isinstance(pattern.pattern, str):
                continue
            chars = sorted(set(re.sub(r"\\[dswDSW]", "", pattern.pattern)) |
                           set(" a1\n{}.*$\\xe"))
            words = re.findall(r"[A-Za-z]{2,}", pattern.pattern)[:6]  # `section`, `answer`
            pieces = chars + ["".join(p) for p in itertools.product(chars[:8], repeat=2)] + [
                w for word in words for w in (word + " ", f"\\{word}{{")]
            growth, sample = 0.0, ""
            for piece, prefix in itertools.product(pieces, ("", "{{", "\\section{")):
                short = _scan_time(pattern, prefix + piece * (20000 // len(piece)))
                if short < 5e-4:  # too fast to time well, and too fast to matter
                    continue
                ratio = _scan_time(pattern, prefix + piece * (80000 // len(piece))) / short
                if ratio > growth:
                    growth, sample = ratio, prefix + piece
            worst.append((growth, f"{info.name}.{name}", sample))
    worst.sort(reverse=True)
    for growth, name, sample in worst[:3]:
        print(f"{'regex audit ' + name.removeprefix('derivations.'):<34} 4x text: "
              f"{growth:5.2f}x time ({sample!r}){'  ok' if growth <= 10 else '  OVER 10x'}")
    print(f"{'regex audit patterns':<34} {len(worst):8d}")


def _scan_time(pattern, text: str) -> float:  # noqa: ANN001 - a compiled pattern
    """Best of three, with the garbage collector off (match objects are garbage)."""
    import gc

    best = math.inf
    gc.disable()
    try:
        for _ in range(3):
            start = time.perf_counter()
            for _match in pattern.finditer(text):
                pass
            pattern.match(text)
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


def timed_allowing_exit_2(command: list[str], runs: int = 1) -> float:
    """Wall time of a command whose exit 1 or 2 (a located refusal) is an answer."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1, 2) or "Traceback" in done.stderr:
            raise SystemExit(f"{command} failed: {done.stderr[-400:]}")
    return statistics.median(times)


def timed_allowing_exit_1(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{command} failed with exit code {done.returncode}")
    return statistics.median(times)


def build_figures() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"

        def clean() -> None:
            shutil.rmtree(out, ignore_errors=True)

        cold = timed([DERIVE, "build", "-q", "-o", str(out)], runs=2, before=clean)
        latexmk = latexmk_alone(out, Path(scratch))
        report("cold build vs latexmk alone", cold, latexmk, 1.3)
        warm = timed([DERIVE, "build", "-q", "-o", str(out)], runs=5)
        help_time = timed([DERIVE, "--help"])
        report("unchanged rebuild vs --help", warm, help_time, 2.0)
        one = timed([DERIVE, "build", "-q", "--jobs", "1", "-o", str(out)], runs=2,
                    before=clean)
        two = timed([DERIVE, "build", "-q", "--jobs", "2", "-o", str(out)], runs=2,
                    before=clean)
        print(f"{'--jobs 2 speed-up over --jobs 1':<34} {one * 1000:8.0f} ms / "
              f"{two * 1000:8.0f} ms = {one / two:5.2f}x")


def latexmk_alone(out: Path, scratch: Path) -> float:
    """latexmk (same flags, same locked-down environment) on the generated .tex files."""
    from derivations.render.compile import LATEXMK_ARGS, tex_environment

    texs = sorted(out.glob("*.tex"))
    work = scratch / "latexmk"
    env = {**os.environ, **tex_environment()}

    def fresh() -> None:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for tex in texs:
            shutil.copy(tex, work / tex.name)

    script = " && ".join(f"latexmk {' '.join(LATEXMK_ARGS)} {t.name}" for t in texs)
    return timed(["bash", "-c", script], runs=2, cwd=work, env=env, before=fresh)


if __name__ == "__main__":
    main()
