"""`derive analyse`: what the grading results say about the sheet, its variants and
the class."""

from __future__ import annotations

import json
from pathlib import Path

import click

from derivations.cli.common import INPUT, OUTPUT, emit, progress


@click.command("analyse")
@click.argument("sheet", type=INPUT)
@click.argument("results", nargs=-1, type=INPUT)
@click.option("--variants", "pool", type=INPUT,
              help="The NAME.variants.json the class was graded with: needed for the "
              "variants' fairness, the predicted difficulty and copied answers.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people; json for scripts.")
@click.option("-o", "--output", type=OUTPUT, help="Write to this file instead of standard "
              "output.")
@click.option("--report", type=OUTPUT,
              help="Also write a self-contained HTML report with plots (no script).")
@click.option("--permutations", type=click.IntRange(99, 100_000), default=4999,
              show_default=True, help="Shuffles of the permutation test of the variants.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def analyse(sheet: Path, results: tuple[Path, ...], pool: Path | None, fmt: str,  # long: options
            output: Path | None, report: Path | None, permutations: int,
            quiet: bool) -> None:
    """Analyse the RESULTS of `derive check --format json` (several files: several
    sections or terms, pooled) against SHEET.

    \b
    1. Item analysis, per ask: facility (mean credit), discrimination index (top
       27% minus bottom 27%), point-biserial correlation with the rest of the
       sheet, the share of each diagnosis, of unparsed, missing and
       carried-forward answers.
    2. Variants (with --variants): each variant's mean score with a 95% interval,
       a permutation test that the variants differ more than chance allows, and
       the variants flagged easier or harder (Holm-adjusted). Each variant's
       difficulty predicted from its numbers (digits, elasticity, size, mistakes
       that coincide with the answer), beside the measured one. With no RESULTS,
       the prediction alone: run it before the pool is handed out.
    3. Copied answers (with --variants): students whose unexplained wrong answers
       are another variant's values, with how unlikely that is by chance. Never on
       one match; for the instructor only, nothing is written to students.
    4. Recurring wrong values no known mistake explains, with a proposed equation
       (a small edit of the closed form) and the line to add to the ask; the next
       `derive check` then names the mistake.

    \b
    Example:
      derive check week4.toml class.csv --variants week4.variants.json \\
          --format json -o results.json
      derive analyse week4.toml results.json --variants week4.variants.json \\
          --report analysis.html

    Exit code 0 when the analysis ran (whatever it found); 2 for bad input.
    """
    from derivations.analyse import report as reporting
    from derivations.analyse.known import known_variants, pool_variants
    from derivations.analyse.results import read_results
    from derivations.analyse.text import text_report
    from derivations.files import check_outputs
    from derivations.pipeline import solve_file

    inputs = (sheet, *results, *((pool,) if pool else ()))
    if report is not None and report.suffix.lower() != ".html":
        raise click.UsageError("--report must be an .html path")
    check_outputs([output, report], inputs)
    written = solve_file(sheet)
    loaded = written.sheet
    if pool is not None and loaded.variants is None:
        raise click.UsageError(f"{sheet.name} has no [variants] table: --variants does not "
                               "apply")
    stored = (pool, pool_variants(loaded, pool)) if pool is not None else None
    count = len(stored[1]) if stored else 1
    with progress("solving the variants", count, quiet or count < 20) as advance:
        known = known_variants(loaded, written, stored, advance)
    title = loaded.title or loaded.name
    if results:
        analysis = reporting.analyse(title, read_results(results, loaded), known,
                                     permutations)
    elif pool is not None:
        analysis = reporting.pool_only(loaded.name, title, known)
    else:
        raise click.UsageError("give RESULTS to analyse, or --variants for the predicted "
                               "difficulty of a pool")
    view = reporting.view(analysis)
    if fmt == "json":
        text = json.dumps(reporting.as_json(analysis), indent=1, ensure_ascii=False) + "\n"
    else:
        text = text_report(view)
    if report is not None:
        from derivations.render.build import render_analysis

        render_analysis(view, report)
    emit(text, output, inputs)
