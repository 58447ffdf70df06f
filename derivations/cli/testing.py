"""`derive test`: a sheet's question tests, written and generated, on every variant."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from derivations.cli.common import INPUT, progress

if TYPE_CHECKING:  # types only: importing them at start-up would slow `derive --help`
    from derivations.grade.grader import Grader
    from derivations.grade.question_tests import Results
    from derivations.sheet.model import Sheet
    from derivations.variants.pool import Variant
    from derivations.variants.store import StoredVariant


@click.command("test")
@click.argument("sheets", nargs=-1, required=True, type=INPUT)
@click.option("--variants", "pool", type=INPUT,
              help="A NAME.variants.json to test every variant of (one sheet only). "
              "Without it, a sheet with [variants] is tested on the pool its salt draws.")
@click.option("--written-only", is_flag=True, help="Run the sheet's [[tests]] only.")
@click.option("--coincidences", is_flag=True,
              help="List every value two marking paths give (counted otherwise).")
@click.option("-j", "--jobs", type=click.IntRange(0, 64), default=0, show_default=True,
              help="Processes that mark variants (0: one per core for 100 variants or "
              "more); the results are the same whatever the number.")
@click.option("-q", "--quiet", is_flag=True, help="Print failures only.")
def test(sheets: tuple[Path, ...], pool: Path | None, written_only: bool,
         coincidences: bool, jobs: int, quiet: bool) -> None:
    """Mark the question tests of each SHEET; exit 1 if one fails.

    \b
    Written tests ([[tests]] in the sheet, docs/grading.md):
      [[tests]]
      answer = "E1.C"
      text = "{E1.C:3} FLOP"          (that variant's answer, 3 figures)
      variant = "all"                  ("" = the sheet as written, or v07)
      verdict = "correct"
      credit = 1
    Generated tests, for every numeric ask of every variant: the exact answer,
    each rounding path, each known mistake (its diagnosis and credit), each
    carried-forward path, a garbage text, a far value, and a near miss inside and
    outside the tolerance. A value two paths give is a coincidence, reported with
    the variant and ask, not a failure.

    Failures are printed as a table (variant, answer, test, text, what was wrong).
    Exit code 0 when all pass, 1 on a failure, 2 for a bad sheet or test.
    """
    if pool is not None and len(sheets) > 1:
        raise click.UsageError("--variants names the pool of one sheet; give one SHEET")
    failed = False
    for sheet in sheets:
        loaded, sources = _sources(sheet, pool, quiet)
        from derivations.variants.tested import mark

        with progress(f"{loaded.name}: marking tests", len(sources), quiet) as advance:
            results = mark(sources, loaded.tests, not written_only, advance, jobs)
        failed |= bool(results.failures)
        click.echo(report(loaded.name, results, quiet, coincidences), nl=False)
    if failed:
        raise SystemExit(1)


def _sources(sheet: Path, pool: Path | None, quiet: bool
             ) -> tuple[Sheet, dict[str, Callable[[], Grader]]]:
    """Variant id -> how to build its grader: v00 (the sheet as written) and each
    variant of the pool (a stored one, or the one the sheet's salt draws)."""
    from derivations.grade.grader import Grader
    from derivations.pipeline import solve_file

    solution = solve_file(sheet)
    loaded = solution.sheet
    sources: dict[str, Callable[[], Grader]] = {"v00": partial(Grader, solution)}
    if pool is not None:
        from derivations.files import read_text
        from derivations.variants.store import read_pool

        stored = read_pool(read_text(pool), str(pool), loaded)
        for vid, variant in stored.items():
            if vid != "v00":
                sources[vid] = partial(_stored_grader, loaded, variant, str(pool))
    elif loaded.variants is not None:
        from derivations.variants.pool import build_pool

        with progress(f"{loaded.name}: drawing variants", loaded.variants.pool,
                      quiet) as advance:
            drawn = build_pool(loaded, None, advance)
        sources.update((v.id, partial(drawn_grader, v)) for v in drawn.variants[1:])
    return loaded, sources


def _stored_grader(sheet: Sheet, variant: StoredVariant, file: str) -> Grader:
    """A stored variant's grader (re-solved and checked against the pool file)."""
    from derivations.grade.grader import Grader
    from derivations.variants.store import solve_stored

    return Grader(solve_stored(sheet, variant, file))


def drawn_grader(variant: Variant) -> Grader:
    """A drawn variant's grader (solved again here when a worker vetted it)."""
    from derivations.grade.grader import Grader

    return Grader(variant.solution)


def report(name: str, results: Results, quiet: bool, listed: bool) -> str:
    """The failures as a table, then one summary line."""
    from derivations.present.text import plain

    lines = []
    if results.failures:
        lines.append(f"{'variant':<8} {'answer':<14} {'test':<34} {'text':<24} problem")
        for item in results.failures:
            case = item.case
            lines.append(f"{case.variant:<8} {case.answer:<14} {case.origin[:34]:<34} "
                         f"{case.text[:24]:<24} {item.why}")
            lines.append(f"{'':<8} {'':<14} feedback: {plain(item.got.feedback)[:120]}")
    if listed:
        lines += [f"coincidence: {c}" for c in results.coincidences]
    if not quiet or results.failures:
        status = f"{len(results.failures)} FAILED" if results.failures else "all pass"
        lines.append(f"{name}: {results.written} written and {results.generated} generated "
                     f"tests on {results.variants} variant(s): {status}; "
                     f"{len(results.coincidences)} coincidences"
                     + ("" if listed or not results.coincidences
                        else " (--coincidences lists them)"))
    return "".join(line + "\n" for line in lines)
