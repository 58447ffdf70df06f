"""`derive solve`, `formulas`, `build` and `cheatsheet`: a sheet's answers and documents."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from derivations.cli.common import emit


@click.command()
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
    from derivations.pipeline import solve_file
    from derivations.present import text as present

    solution = solve_file(sheet, problem_id)
    from derivations.present.prose import placeholder_warnings

    for message in placeholder_warnings(solution):
        click.echo(f"warning: {message}", err=True)
    render = {"text": present.solution_text, "json": present.solution_json,
              "latex": present.solution_latex}[fmt]
    emit(render(solution), output, (sheet,))


@click.command()
@click.option("--topic", "topics", multiple=True, metavar="TOPIC",
              help="Only these topics (repeatable): compute, scaling, memory, finetuning, "
              "training, quantization, formats, systems, architecture, parallelism, "
              "inference. A sheet's `topic` takes the same words (and the tags loss, "
              "epochs).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def formulas(topics: tuple[str, ...], fmt: str) -> None:
    """List the formula library: ids to use in sheets, symbols, units, sources."""
    from derivations.library import by_topic
    from derivations.present import catalogue

    chosen = by_topic(list(topics) or None)
    emit(catalogue.as_json(chosen) if fmt == "json" else catalogue.as_text(chosen), None)


@click.command()
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


@click.command()
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


def run_targets(targets: list, jobs: int, force: bool, quiet: bool) -> None:
    """Run a build with a progress bar on stderr, then one summary line per document."""
    from derivations.pipeline import build as run_build

    with contextlib.ExitStack() as stack:
        bars: list[Any] = []

        def start(count: int) -> None:
            if not quiet and count > 1:
                bars.append(stack.enter_context(click.progressbar(
                    length=count, label="building", file=sys.stderr)))

        def done(name: str) -> None:
            for bar in bars:
                bar.update(1)

        said: set[str] = set()

        def warn(message: str) -> None:
            if message not in said:  # a sheet's warning comes once, not per document
                said.add(message)
                click.echo(f"warning: {message}", err=True)

        status = run_build(targets, jobs=jobs, force=force, on_start=start, on_done=done,
                           on_warning=warn)
    if not quiet:
        for target in targets:
            click.echo(f"{target.output}: {status[target.key]}", err=True)


