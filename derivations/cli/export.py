"""`derive export`: quizzes for learning-management systems.

Only click is imported here; the pipeline is imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path

import click

from derivations.cli.common import INPUT as _INPUT
from derivations.cli.common import OUTPUT as _OUTPUT
from derivations.cli.common import progress


@click.group()
def export() -> None:
    """Export a sheet as a quiz for a learning-management system.

    \b
      derive export moodle SHEET -o quiz.xml                     the sheet as written
      derive export moodle SHEET --variants build/NAME.variants.json -o quiz.xml

      derive export canvas SHEET --variants build/NAME.variants.json -o quiz.zip

    See docs/lms.md for the round trip.
    """


def _variants(sheet: Path, pool: Path | None,  # noqa: ANN202 - (sheet, [(id, solution)])
              quiet: bool = False):
    """The sheet, and the variants to export: the pool's (v00 left out) or v00 alone."""
    from derivations.files import read_text
    from derivations.pipeline import read_sheet, solved

    if pool is None:
        made = solved(sheet)
        return made.sheet, [("v00", made.solution)]
    from derivations.variants.store import read_pool, solve_stored

    loaded = read_sheet(sheet)
    stored = read_pool(read_text(pool), str(pool), loaded)
    dealt = [(vid, item) for vid, item in stored.items() if vid != "v00"]
    results = []
    with progress("re-solving variants", len(dealt), quiet or len(dealt) < 10) as advance:
        for vid, item in dealt:
            results.append((vid, solve_stored(loaded, item, str(pool))))
            advance(1)
    return loaded, results


def _inputs(sheet: Path, pool: Path | None) -> tuple[Path, ...]:
    """The files an export reads (an output may never replace one of them)."""
    return (sheet, pool) if pool is not None else (sheet,)


def _report(output: Path, questions: int, skipped: list[str], quiet: bool,
            notes: list[str] | None = None) -> None:
    if quiet:
        return
    click.echo(f"{output}: {questions} questions", err=True)
    for line in skipped:
        click.echo(f"  left out: {line}", err=True)
    for line in notes or []:
        click.echo(f"  note: {line}", err=True)


@export.command()
@click.argument("sheet", type=_INPUT)
@click.option("--variants", "pool", type=_INPUT,
              help="NAME.variants.json from `derive variants`: one question per variant "
              "(v00 left out), so a quiz can draw a random question per student.")
@click.option("-o", "--output", type=_OUTPUT, required=True,
              help="The Moodle XML file to write (import it in the question bank).")
@click.option("--cloze", is_flag=True, help="One embedded-answers (cloze) question per "
              "problem and variant, so all parts of a problem share one variant's givens.")
@click.option("-q", "--quiet", is_flag=True, help="No summary.")
def moodle(sheet: Path, pool: Path | None, output: Path, cloze: bool, quiet: bool) -> None:
    """Moodle XML: a numerical question per answer (and variant) of SHEET.

    Each question carries the right value with an absolute tolerance from the sheet's
    relative one, every known mistake the grader diagnoses as a wrong answer with
    feedback naming it, the units with exact multipliers (GB, GiB, MB...) and the
    worked solution as general feedback. Questions of one answer share a category
    ($course$/SHEET/PROBLEM/ANSWER), so a quiz can draw one at random; each has the
    idnumber SHEET.ANSWER.VARIANT. True/false asks become true/false questions.
    """
    from derivations.files import check_outputs, write_atomic
    from derivations.lms.moodle import export as moodle_xml

    if output.suffix != ".xml":
        raise click.UsageError("the output must be an .xml path")
    check_outputs([output], _inputs(sheet, pool))
    loaded, variants = _variants(sheet, pool, quiet)
    count = len(variants) * (len(loaded.problems) if cloze else
                             sum(len(p.asks) for p in loaded.problems))
    with progress("writing questions", count, quiet or count < 50) as advance:
        result = moodle_xml(loaded, variants, cloze, advance)
    write_atomic(output, result.xml, _inputs(sheet, pool))
    _report(output, result.questions, result.skipped, quiet, result.notes)


@export.command()
@click.argument("sheet", type=_INPUT)
@click.option("--variants", "pool", type=_INPUT,
              help="NAME.variants.json from `derive variants`: a question group per answer "
              "holding one question per variant (v00 left out), pick 1.")
@click.option("-o", "--output", type=_OUTPUT, required=True,
              help="The QTI .zip to write (Canvas: Settings, Import course content, QTI).")
@click.option("--text", "text_out", type=_OUTPUT,
              help="Also write text2qti's plain-text quiz, to read or edit.")
@click.option("-q", "--quiet", is_flag=True, help="No summary.")
def canvas(sheet: Path, pool: Path | None, output: Path, text_out: Path | None,
           quiet: bool) -> None:
    """Canvas QTI 1.2 package of SHEET (numerical questions with answer ranges).

    Each answer is a question group that picks one of its variants; each answer is
    asked in a unit that keeps it between 1 and 1000 (Canvas rounds tiny numbers to
    zero), named in the question; true/false asks become true/false questions.
    Written with text2qti; see docs/lms.md.
    """
    from derivations.files import check_outputs, write_atomic
    from derivations.lms.canvas import package

    if output.suffix != ".zip":
        raise click.UsageError("the output must be a .zip path")
    check_outputs([output, text_out], _inputs(sheet, pool))
    loaded, variants = _variants(sheet, pool, quiet)
    result = package(loaded, variants)
    write_atomic(output, result.zip, _inputs(sheet, pool))
    if text_out is not None:
        write_atomic(text_out, result.text.encode("utf-8"), _inputs(sheet, pool))
    _report(output, result.questions, result.skipped, quiet, result.notes)
