"""`derive export`: quizzes for learning-management systems.

Only click is imported here; the pipeline is imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def export() -> None:
    """Export a sheet as a quiz for a learning-management system.

    \b
      derive export moodle SHEET -o quiz.xml                     the sheet as written
      derive export moodle SHEET --variants build/NAME.variants.json -o quiz.xml

    See docs/lms.md for the round trip.
    """


@export.command()
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--variants", "pool", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="NAME.variants.json from `derive variants`: one question per variant "
              "(v00 left out), so a quiz can draw a random question per student.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The Moodle XML file to write (import it in the question bank).")
@click.option("-q", "--quiet", is_flag=True, help="No summary.")
def moodle(sheet: Path, pool: Path | None, output: Path, quiet: bool) -> None:
    """Moodle XML: a numerical question per answer (and variant) of SHEET.

    Each question carries the right value with an absolute tolerance from the sheet's
    relative one, every known mistake the grader diagnoses as a wrong answer with
    feedback naming it, the units with exact multipliers (GB, GiB, MB...) and the
    worked solution as general feedback. Questions of one answer share a category
    ($course$/SHEET/PROBLEM/ANSWER), so a quiz can draw one at random; each has the
    idnumber SHEET.ANSWER.VARIANT. True/false asks become true/false questions.
    """
    from derivations.files import read_text, write_atomic
    from derivations.lms.moodle import export as moodle_xml
    from derivations.sheet.spec import load_sheet
    from derivations.solver import engine

    if output.suffix != ".xml":
        raise click.UsageError("the output must be an .xml path")
    loaded = load_sheet(read_text(sheet), str(sheet), sheet.stem)
    if pool is None:
        variants = [("v00", engine.solve(loaded))]
    else:
        from derivations.variants.store import read_pool, solve_stored

        stored = read_pool(read_text(pool), str(pool), loaded)
        variants = [(vid, solve_stored(loaded, item, str(pool)))
                    for vid, item in stored.items() if vid != "v00"]
    result = moodle_xml(loaded, variants)
    write_atomic(output, result.xml, (sheet, *([pool] if pool else [])))
    if not quiet:
        click.echo(f"{output}: {result.questions} questions", err=True)
        for line in result.skipped:
            click.echo(f"  left out: {line}", err=True)
