"""`derive check-work`: check written derivations line by line.

Only click is imported at module level; the pipeline is imported inside the command
(so `derive --help` stays fast).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from derivations.cli.common import INPUT as _INPUT
from derivations.cli.common import OUTPUT as _OUTPUT
from derivations.cli.common import progress

CLASS_SIZE = 20  # checking this many write-ups or more shows a progress bar


@click.command("check-work")
@click.argument("sheet", type=_INPUT)
@click.argument("writeups", type=_INPUT, nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Line-by-line marks as text, or JSON.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the marks here (default: stdout); for a submissions zip, the "
              "folder the LMS files are written to.")
@click.option("--worksheet", type=_INPUT,
              help="Moodle's grading worksheet as downloaded (CSV): filled with the marks, "
              "so that Moodle matches every row.")
@click.option("--report", type=_OUTPUT,
              help="Also write a report (FILE.pdf or FILE.html): the write-up with a mark "
                   "beside every line and the reason under each false one. One write-up.")
def check_work(sheet: Path, writeups: tuple[Path, ...], fmt: str,  # long: --help text
               output: Path | None, worksheet: Path | None, report: Path | None) -> None:
    """Check the worked WRITEUPS (Markdown, LaTeX or text) of SHEET line by line.

    \b
    Every relation a write-up writes is checked:
      C ≈ 6 × 67 × 10^9 × 4.1 × 10^12 = 1.65 × 10^24   arithmetic, to the figures written
      L' = E + A/N^α + B/D'^β → D' = (B/(L' − E − A/N^α))^(1/β)
                                                  a rearrangement, by sympy
      C' ≈ 6ND'                                   a formula, at the sheet's values
    Marks: holds, FALSE (with the reason: a dropped factor, an unrounded intermediate,
    a GiB written as GB, a dropped −1...), follows from line N (right given an earlier
    false value), unread (notation the checker does not read), not checked (a
    symbol the sheet does not define). The final answers found per ask are graded
    exactly as `derive check` grades them.

    \b
    Headings (`E2`, `Exercise 2`, `Problem 3`, `Q5`, `\\section{E2}`, or numbered
    questions `1) How many ...?`) tell which problem a section answers; `$...$`,
    `$$...$$`, `\\[...\\]` and equation environments hold the math (plain text: any
    line with = or ≈; a label such as `E3:` at a line's start). The math is read
    by the same grammar as `derive check` answers (docs/reading.md); a rounded
    figure stands for the range between it and the exact value it rounds.
    An `Answer: 7.54 trillion tokens` line or a ticked box
    (`☒ True`) states an answer.

    \b
    Notebooks (.ipynb): Markdown cells as Markdown; in code cells, an assignment of
    arithmetic (C = 6 * N * D) is a relation and a stored output of a named value
    is a written value; other code is unread, with the reason. Code is never run.
    Places are "cell 7, line 2".

    \b
    A submissions zip (Moodle's "Download all submissions", Canvas's "Download
    submissions") with -o OUT/: every student's write-ups are checked and OUT/ gets
    the Moodle grading worksheet (filled in place with --worksheet) and a feedback
    zip of one HTML report per student, or a Canvas gradebook CSV and a feedback/
    folder; and a class summary. The zip is read in memory within caps (docs/lms.md).

    \b
    Examples:
      derive check-work problems/genai_week4.toml submissions.zip -o marked/ \
          --worksheet Grades-Week4.csv
      derive check-work problems/genai_week4.toml week4.md
      derive check-work problems/genai_week4.toml week4.tex --format json
      derive check-work problems/genai_week4.toml week4.md --report week4-check.pdf
      derive check-work problems/genai_week4.toml submissions/*.md --format json -o marks.json

    Exit code 0 when every relation holds and every answer is right, 1 when not,
    2 for bad input (a bad sheet; an unreadable, binary or oversized write-up when it
    is the only one: among several, it is reported, not checked, and the rest are).

    \b
    Details: docs/check-work.md
    """
    from derivations.files import FileError, check_outputs, open_output
    from derivations.pipeline import solve_file
    from derivations.work import output as show
    from derivations.work.checking import WorkChecker

    if len(writeups) == 1 and writeups[0].suffix.lower() == ".zip":
        if report is not None:
            raise click.UsageError("--report takes one write-up; a submissions zip gets a "
                                   "report per student in OUT/")
        from derivations.cli.handins import check_submissions

        check_submissions(sheet, writeups[0], output, worksheet)
        return
    if worksheet is not None:
        raise click.UsageError("--worksheet goes with a submissions zip")
    if output is not None and output.is_dir():
        raise click.UsageError(f"-o {output}: a folder; give a file (a folder is for a "
                               "submissions zip)")
    inputs = (sheet, *writeups)
    if report is not None:
        if report.suffix.lower() not in (".pdf", ".html"):
            raise click.UsageError("--report must be a .pdf or .html path")
        if len(writeups) > 1:
            raise click.UsageError("--report takes one write-up")
    check_outputs([output, report], inputs)
    checker = WorkChecker(solve_file(sheet))
    results, refused = [], []
    with progress("checking", len(writeups), len(writeups) < CLASS_SIZE) as advance:
        for path in writeups:
            advance(1)
            try:
                results.append(checker.check(path))
            except FileError as exc:  # one student's file never stops the class
                if len(writeups) == 1:
                    raise
                shown = "\n" if len(writeups) >= CLASS_SIZE else ""  # below the progress bar
                click.echo(f"{shown}warning: {exc} (this write-up is not checked)", err=True)
                refused.append(exc)
    if not results:
        raise refused[0]
    with open_output(output, inputs) as out:
        if fmt == "json":
            out.write(show.as_json(results[0]) if len(writeups) == 1 else
                      show.as_json_class(results, refused))
        else:
            out.write("\n".join([*(show.as_text(r) for r in results),
                                 *(f"{e.path}: not checked: {e.message}\n" for e in refused)]))
    if report is not None:
        from derivations.render.build import render_work_report

        render_work_report(show.view(results[0]), report)
    if refused or not all(r.all_hold and r.answers.all_correct for r in results):
        sys.exit(1)
