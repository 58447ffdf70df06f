"""The `derive` command line: parse options, call the pipeline, print.

This is the only module that turns errors into messages and exit codes:
0 success, 1 a check found wrong answers, 2 bad input or usage. sympy is imported
inside the commands that need it, so `derive --help` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click

from derivations import __version__
from derivations.errors import DerivationsError
from derivations.lms.commands import export
from derivations.variants.commands import variants
from derivations.work.commands import check_work

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
CLASS_SIZE = 50  # grading this many students or more shows a progress bar


class DeriveGroup(click.Group):
    """A click group that reports our errors as one line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        _exit_cleanly_on_sigterm()
        try:
            return super().invoke(ctx)
        except DerivationsError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except RecursionError:
            click.echo("error: the input is nested too deeply", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except BrokenPipeError:
            # the reader went away (`derive ... | head`): stop quietly, as Unix tools do
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(128 + signal.SIGPIPE)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug in derivations, not in the user's input
            if os.environ.get("DERIVE_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (a bug in derivations; "
                       "set DERIVE_DEBUG=1 for the traceback and please report it)", err=True)
            ctx.exit(EXIT_INTERNAL)


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C: scratch folders are removed, TeX is killed,
    temporary output files are deleted (exit code 143, as after a plain SIGTERM)."""
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


@click.group(cls=DeriveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="derive")
def main() -> None:
    """Worked, checked solutions for the arithmetic of training LLMs.

    A problem sheet is a TOML file of givens (N, D, Chinchilla constants, d_model,
    dtypes, batch sizes...) and asks (training FLOPs, loss, tokens for a target loss,
    memory, LoRA sizes, steps per epoch...). Every answer is derived symbolically
    with sympy: the formula, the formula rearranged for the unknown, the numbers
    substituted, the exact result rounded only for display.

    \b
    Examples:
      derive solve problems/genai_week4.toml
      derive solve problems/genai_week4.toml --problem E2 --format json
      derive formulas --topic memory
      derive build                      (every problems/*.toml + cheat sheet -> build/)
      derive cheatsheet --topic memory -o build/memory.pdf
      derive check problems/genai_week4.toml answers.csv --format json
    """


def read_sheet(path: Path):  # noqa: ANN201 - spec.Sheet, imported lazily
    """Read and parse one sheet file (a regular UTF-8 file of bounded size)."""
    from derivations.files import read_text
    from derivations.sheet.spec import load_sheet

    return load_sheet(read_text(path), str(path), path.stem)


@main.command()
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--problem", "problem_id", metavar="ID", help="Solve one problem only (e.g. E2).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "latex"]), default="text",
              show_default=True, help="text for people, json for programs (values in "
              "canonical units: FLOP, token, byte...), latex for align* blocks.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
def solve(sheet: Path, problem_id: str | None, fmt: str, output: Path | None) -> None:
    """Solve every ask of SHEET and show the worked steps.

    Each answer shows the general formula, the formula rearranged for the unknown,
    the values substituted, and the result with its unit (memory in both GB and GiB).
    Answers that react strongly to an input (|d ln answer / d ln input| > 10) carry a
    warning saying how much rounding that input would move them.
    """
    from derivations.present import text as present
    from derivations.solver import engine

    solution = engine.solve(read_sheet(sheet), problem_id)
    render = {"text": present.solution_text, "json": present.solution_json,
              "latex": present.solution_latex}[fmt]
    emit(render(solution), output, (sheet,))


@main.command()
@click.option("--topic", "topics", multiple=True, metavar="TOPIC",
              help="Only these topics (repeatable): compute, scaling, memory, finetuning, "
              "training, quantization.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def formulas(topics: tuple[str, ...], fmt: str) -> None:
    """List the formula library: ids to use in sheets, symbols, units, sources."""
    from derivations.library import by_topic
    from derivations.present import catalogue

    chosen = by_topic(list(topics) or None)
    emit(catalogue.as_json(chosen) if fmt == "json" else catalogue.as_text(chosen), None)


@main.command()
@click.argument("sheets", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True, help="Where PDFs and .tex files go.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Compile this many documents in parallel.")
@click.option("--tex-only", is_flag=True, help="Write the .tex files only; run no TeX.")
@click.option("--cheatsheet/--no-cheatsheet", "with_cheatsheet", default=None,
              help="Also build the formula cheat sheet (default: only when no SHEETS are "
              "named).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "all"]), default="pdf",
              show_default=True, help="pdf: PDFs through TeX; html: self-contained web "
              "pages (MathML, inline SVG, no script; no TeX needed); all: both.")
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of your own templates, used before the shipped ones (any file "
              "it lacks comes from derivations). Overrides a sheet's [output] templates.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def build(sheets: tuple[Path, ...], out_dir: Path, jobs: int, tex_only: bool,
          with_cheatsheet: bool | None, fmt: str, force: bool, templates: Path | None,
          quiet: bool) -> None:
    """Build worked solutions and question sheets (and the cheat sheet) into OUT_DIR.

    \b
    For every sheet NAME:
      NAME.pdf             worked solutions (--format pdf, the default, or all)
      NAME-questions.pdf   the handout: statements, givens, an answer box per ask
      NAME.html            the worked solutions as one web page (--format html or all)
      NAME-questions.html  the handout as a web page

    With no SHEETS, builds every problems/*.toml and the cheat sheet. Each
    file is written atomically (a PDF with its .tex beside it); a document whose
    inputs (sheet, templates, library) have not changed is not rebuilt. Pages are
    self-contained (no script, no network): formulas in MathML, plots in SVG; open
    them in any current browser, phones included. When TeX fails, the previous PDF
    stays, the log is kept as OUT_DIR/NAME.log and the error names the template line
    it came from (exit code 2). A sheet that does not solve produces no file.

    Templates: --templates DIR (or `[output] templates = "DIR"` in a sheet, a
    folder inside the sheet's own folder) is searched first, file by file, so
    copying only `_preamble.tex.j2` there is enough to add a department header; see
    docs/templates.md for the variables each template receives. A templates folder
    is code: every template renders in Jinja's sandbox.
    """
    from derivations.render.build import CHEATSHEET, QUESTIONS, Target

    named = bool(sheets)
    chosen = sheets or tuple(sorted(Path("problems").glob("*.toml")))
    if not chosen and with_cheatsheet is False:
        raise click.UsageError("no SHEETS given and no problems/*.toml here")
    pages = {"pdf": (False,), "html": (True,), "all": (False, True)}[fmt]
    targets = [Target(path.stem + suffix, out_dir, sheet=path, tex_only=tex_only,
                      templates=templates, questions=bool(suffix), html=html)
               for path in chosen for html in pages for suffix in ("", QUESTIONS)]
    keys = [t.key for t in targets]
    if len(set(keys)) != len(keys) or CHEATSHEET in keys:
        raise click.UsageError("two documents would get the same name; rename a sheet")
    if with_cheatsheet or (with_cheatsheet is None and not named):
        targets += [Target(CHEATSHEET, out_dir, tex_only=tex_only, templates=templates,
                           html=html) for html in pages]
    run_targets(targets, jobs, force, quiet)


@main.command()
@click.option("--topic", "topics", multiple=True, metavar="TOPIC",
              help="Only these topics (repeatable); default: the whole library.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("build/cheatsheet.pdf"), show_default=True)
@click.option("--tex-only", is_flag=True, help="Write the .tex file only; run no TeX.")
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of your own templates, used before the shipped ones (any file "
              "it lacks comes from derivations).")
def cheatsheet(topics: tuple[str, ...], output: Path, tex_only: bool, force: bool,
               templates: Path | None) -> None:
    """A printable landscape cheat sheet generated from the formula library.

    Every formula with its symbols, units and meanings, its source and a one-line
    worked example computed by the engine: the same single source of truth as the
    solution sheets. An OUTPUT ending in .html writes a web page instead (no TeX).
    """
    from derivations.library import by_topic
    from derivations.render.build import Target

    by_topic(list(topics) or None)  # unknown topics fail here, with suggestions
    if output.suffix not in (".pdf", ".html"):
        raise click.UsageError("the output must be a .pdf or .html path")
    run_targets([Target(output.stem, output.parent, topics=topics, tex_only=tex_only,
                        templates=templates, html=output.suffix == ".html")],
                1, force, quiet=True)


@main.command()
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("answers", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="text for people; json and csv for gradebooks.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the grades to this file instead of standard output.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="Also render a class report PDF (histogram, success rates, mistakes).")
@click.option("--variants", "pool", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A NAME.variants.json from `derive variants`: grade each student against "
              "their own variant.")
@click.option("--assignments", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="assignments.csv (student,variant) from `derive variants assign`; a "
              "'variant' column in ANSWERS wins over it.")
@click.option("--gradebook", "lms", type=click.Choice(["canvas", "moodle", "gradescope"]),
              help="Write a grade-import CSV for this LMS instead of --format (see "
              "docs/lms.md); use with -o grades.csv.")
def check(sheet: Path, answers: Path, fmt: str, output: Path | None,  # long: options
          report: Path | None, pool: Path | None, assignments: Path | None,
          lms: str | None) -> None:
    """Grade ANSWERS (a class CSV, or one student's JSON/TOML) against SHEET.

    \b
    CSV: a 'student' column, then one column per answer id (E1.C, E2.D_new, ...).
    JSON/TOML: {"student": "s1", "answers": {"E1.C": "1.65e24", ...}}.

    Answers are read by a grammar (docs/reading.md): plain, Unicode or LaTeX math
    ($1.65 \\times 10^{24}$, 1.65×10²⁴, \\num{1.65e24}), any locale's digit grouping
    (15,625  15 625  15’625), units with SI or IEC prefixes (54 GiB, \\SI{350}{GB},
    31.35 d; Gb is gigabits), scale words (7.5T tokens), a label before and
    a remark after (C = 1.65e24 FLOPs, rounded). A restatement must agree:
    350 GB (999 GiB) is wrong. A bare number is read in the unit the question asks
    for. Verdicts: correct, correct-with-rounding (an intermediate rounded to 3 or 4
    significant figures), carried-forward (right from the student's own wrong
    earlier answer), wrong (with the diagnosed mistake), unparsed (with the
    reason), missing. Exit code 0 when every answer is correct (rounding
    included), 1 when something is not, 2 for bad input.

    \b
    LMS reports: a Moodle quiz Responses report or a Canvas Student Analysis
    report (CSV) of a quiz from `derive export` is read as such: each response is
    marked against the variant its question came from (docs/lms.md).

    \b
    Per-student variants: --variants NAME.variants.json with --assignments
    assignments.csv, or a 'variant' column in the CSV (a "variant" key in JSON):
    each student is graded against their own numbers; a student whose variant is
    unknown is reported as not graded (exit 1).
    """
    from derivations.files import check_outputs, open_output, read_text
    from derivations.grade import gradebook
    from derivations.grade.grader import Grader
    from derivations.grade.tally import Tally
    from derivations.solver import engine

    inputs = tuple(p for p in (sheet, answers, pool, assignments) if p is not None)
    if report is not None and report.suffix != ".pdf":
        raise click.UsageError("--report must be a .pdf path")
    check_outputs([output, report], inputs)
    if assignments is not None and pool is None:
        raise click.UsageError("--assignments needs --variants (the pool they refer to)")
    solved = engine.solve(read_sheet(sheet))
    grader: Any = Grader(solved)
    keys = grader.keys
    allowed = list(keys)
    text = read_text(answers)
    from_lms = _lms_report(text, answers)
    if pool is not None:
        from derivations.variants.grading import VARIANT_COLUMN, VariantGraders

        grader = VariantGraders(solved.sheet, pool, assignments)
        allowed.append(VARIANT_COLUMN)
    if from_lms:
        from derivations.lms.responses import ResponseGrader, read_responses

        responses, asked = read_responses(text, str(answers), solved.sheet.name, list(keys))
        grader = ResponseGrader(Grader(solved), grader if pool is not None else None,
                                str(answers), asked)
        submissions: Any = [(r.student, r.answers) for r in responses]
        keys = {aid: key for aid, key in keys.items() if aid in asked}
    else:
        submissions = gradebook.read_answers(text, str(answers), allowed)
    writers = dict(gradebook.WRITERS)
    if lms is not None:
        from derivations.lms.gradebooks import GRADEBOOKS

        writers = {**writers, **GRADEBOOKS}
    writer = writers[lms or fmt](solved.sheet.name, keys, variants=pool is not None)
    tally = Tally(keys)
    with open_output(output, inputs) as out:
        grade_all(grader, submissions, writer, tally, out)
    if report is not None:
        from derivations.render.build import render_report

        render_report(solved.sheet, tally, report)
    if not tally.all_correct:
        sys.exit(1)


def _lms_report(text: str, path: Path) -> bool:
    """Is this CSV a Moodle Responses or Canvas Student Analysis report?"""
    if path.suffix.lower() != ".csv":
        return False
    import csv

    from derivations.lms.responses import kind

    first = next(csv.reader([text.split("\n", 1)[0]]), [])
    return kind(first) is not None


def grade_all(grader: Any, submissions: Any, writer: Any, tally: Any, out: Any) -> None:
    """Grade and write one student at a time (a progress bar for a large class); a
    student who could not be graded is named on stderr and counts as not correct."""
    from derivations.grade.gradebook import printable

    with click.progressbar(submissions, label="grading", file=sys.stderr,
                           hidden=len(submissions) < CLASS_SIZE) as bar:
        out.write(writer.head())
        for student, written in bar:
            result = grader.grade(student, written)
            if result.note:
                click.echo(f"warning: {printable(student)}: {result.note}", err=True)
                tally.all_correct = False
            else:
                tally.add(result)
            out.write(writer.student(result))
        out.write(writer.tail(tally))


def run_targets(targets: list, jobs: int, force: bool, quiet: bool) -> None:
    """Run a build with a progress bar on stderr, then one summary line per document."""
    from derivations.render.build import build as run_build

    with contextlib.ExitStack() as stack:
        bars: list[Any] = []

        def start(count: int) -> None:
            if not quiet and count > 1:
                bars.append(stack.enter_context(click.progressbar(
                    length=count, label="building", file=sys.stderr)))

        def done(name: str) -> None:
            for bar in bars:
                bar.update(1)

        def warn(message: str) -> None:
            click.echo(f"warning: {message}", err=True)

        status = run_build(targets, jobs=jobs, force=force, on_start=start, on_done=done,
                           on_warning=warn)
    if not quiet:
        for target in targets:
            click.echo(f"{target.output}: {status[target.key]}", err=True)


def emit(text: str, output: Path | None, inputs: tuple[Path, ...] = ()) -> None:
    """Print (no -o, or `-o -`), or write a file atomically so a failed run never
    leaves half a file; never over one of the command's `inputs`."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from derivations.files import write_atomic

    write_atomic(output, text.encode("utf-8"), inputs)


main.add_command(variants)
main.add_command(export)
main.add_command(check_work)

if __name__ == "__main__":  # pragma: no cover
    main()
