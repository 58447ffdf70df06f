"""`derive check`: grade a class (or one student) against a sheet, or its variants."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from derivations.cli.common import progress

CLASS_SIZE = 50  # grading this many students or more shows a progress bar


@click.command()
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
              help="assignments.csv (student,variant,pool) from `derive variants assign`; a "
              "'variant' column in ANSWERS wins over it.")
@click.option("--gradebook", "lms", type=click.Choice(["canvas", "moodle", "gradescope"]),
              help="Write a grade-import CSV for this LMS instead of --format (see "
              "docs/lms.md); use with -o grades.csv.")
@click.option("--attempt", type=click.Choice(["last", "first", "best"]), default="last",
              show_default=True,
              help="For a Moodle or Canvas report that lists several attempts of a student: "
              "which one to grade (finished attempts first; best = the LMS's own score). "
              "Each choice is reported.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 when grading ran, even if answers are wrong (for scripts and "
              "Makefiles that stop on exit 1); 2 still means bad input.")
def check(sheet: Path, answers: Path, fmt: str, output: Path | None,  # long: options
          report: Path | None, pool: Path | None, assignments: Path | None,
          lms: str | None, attempt: str, exit_zero: bool) -> None:
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
    reason), missing. What each earns is the sheet's marking policy: credit per
    mistake, a credit curve, gated carried-forward credit, significant figures
    ([grading], docs/grading.md); `derive test SHEET` pins it. Exit code 0 when
    every answer is correct (rounding included); 1 when grading ran and found
    answers that are not (a result, not a failure: the grades, --report and
    --gradebook files are all written), or 0 with --exit-zero; 2 for bad input.

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
    from derivations.files import check_outputs, open_output
    from derivations.grade import gradebook
    from derivations.grade.runner import grade_class
    from derivations.grade.tally import Tally
    from derivations.pipeline import grading_run

    inputs = tuple(p for p in (sheet, answers, pool, assignments) if p is not None)
    if report is not None and report.suffix != ".pdf":
        raise click.UsageError("--report must be a .pdf path")
    check_outputs([output, report], inputs)
    if assignments is not None and pool is None:
        raise click.UsageError("--assignments needs --variants (the pool they refer to)")
    run = grading_run(sheet, answers, pool, assignments, attempt)
    for note in run.notes:
        click.echo(f"note: {note}", err=True)
    writers = dict(gradebook.WRITERS)
    if lms is not None:
        from derivations.lms.gradebooks import GRADEBOOKS

        writers = {**writers, **GRADEBOOKS}
    writer = writers[lms or fmt](run.sheet.name, run.keys, variants=run.variants)
    tally = Tally(run.keys)

    def warn(student: str, why: str) -> None:
        click.echo(f"warning: {gradebook.printable(student)}: {why}", err=True)

    with open_output(output, inputs) as out, progress(
            "grading", len(run.submissions), len(run.submissions) < CLASS_SIZE) as advance:
        grade_class(run, writer, out, tally, warn, advance)
    if report is not None:
        from derivations.grade.report import grades_context
        from derivations.render.build import render_report, sheet_templates

        render_report("grades.tex.j2", grades_context(run.sheet.title, tally), report,
                      sheet_templates(run.sheet))
    if not tally.all_correct and not exit_zero:
        sys.exit(1)
