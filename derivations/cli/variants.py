"""`derive variants`: draw a pool, write it out, stress-test it, deal it to students.

Only click is imported here; the pipeline is imported inside the commands, so `derive
--help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from derivations.cli.common import progress

if TYPE_CHECKING:  # types only: importing them at start-up would slow `derive --help`
    from derivations.sheet.model import Sheet, VariantsSpec
    from derivations.variants.pool import Pool


class _DefaultToMake(click.Group):
    """`derive variants SHEET ...` means `derive variants make SHEET ...`; its help
    lists make's options too, since that is the command most people run."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["make", *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help(ctx, formatter)
        make = self.commands["make"]
        records = [record for param in make.get_params(ctx) if isinstance(param, click.Option)
                   if (record := param.get_help_record(ctx)) is not None
                   and "--help" not in record[0]]
        with formatter.section("Options of `derive variants SHEET` (the make command)"):
            formatter.write_dl(records)


@click.group(cls=_DefaultToMake)
def variants() -> None:
    """Per-student variants of a sheet: a pool of distinct, vetted numeric variants.

    \b
      derive variants SHEET [-o DIR] [--pool N]   the pool: JSON, PDFs, answer key
      derive variants SHEET --stress 200          try 200 draws, write nothing
      derive variants assign SHEET ROSTER.csv     deal variants to students
      derive check SHEET ANSWERS.csv --variants DIR/NAME.variants.json \\
             --assignments DIR/assignments.csv    grade each against their own

    The sheet needs [random] (which givens vary, and how) and [variants] (salt,
    pool, require, max_elasticity): see docs/sheet-format.md.
    """


def _load(sheet: Path) -> tuple[Sheet, VariantsSpec]:
    """The sheet and its [variants] table, which these commands need."""
    from derivations.pipeline import read_sheet

    loaded = read_sheet(sheet)
    if loaded.variants is None:
        from derivations.errors import VariantsError

        raise VariantsError(f"{sheet}: the sheet has no [random] and [variants] tables; see "
                            "docs/sheet-format.md")
    return loaded, loaded.variants


@variants.command("make")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True, help="Where the files go.")
@click.option("--pool", "size", type=click.IntRange(1, 1000),
              help="How many variants to deal (default: the sheet's [variants] pool).")
@click.option("--stress", type=click.IntRange(1, 100_000), metavar="N",
              help="Solve N draws and report value ranges and rejections; write nothing.")
@click.option("--no-pdf", is_flag=True, help="Write the JSON only; run no TeX.")
@click.option("-j", "--jobs", type=click.IntRange(0, 64), default=0, show_default=True,
              help="Processes that vet draws (0: one per core for 100 draws or more) and "
              "typeset PDFs (0: one per core); the files are the same whatever the "
              "number.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Your own templates folder, searched before the shipped ones.")
@click.option("--no-tests", is_flag=True,
              help="Write the pool without marking its question tests first (`derive test`).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def make(sheet: Path, out_dir: Path, size: int | None, stress: int | None, no_pdf: bool,
         jobs: int, templates: Path | None, no_tests: bool, quiet: bool) -> None:
    """Draw a pool of variants of SHEET and write it into OUT_DIR.

    \b
    OUT_DIR/NAME.variants.json         every variant's givens and answers (values,
                                       units, displays), v00 being the sheet as written
    OUT_DIR/NAME-v07.pdf, -v07-questions.pdf   solutions and questions per variant
    OUT_DIR/NAME-variants.pdf, ...-questions.pdf  all variants in one file, to print
    OUT_DIR/NAME-key.pdf               the answer key: one row per variant

    Draws are sha256(salt | draw number | given name): the same salt gives the same
    pool, byte for byte. A draw is rejected when it repeats a variant, does not solve,
    breaks a `require`, has an answer more sensitive than `max_elasticity`, or when
    two known mistakes give the same wrong value for one answer by coincidence. When
    fewer sound variants exist than asked, nothing is written (exit code 2).

    Before anything is written, the sheet's question tests (written and generated,
    `derive test`) are marked on every variant; if one fails, the failures are
    printed and nothing is written (exit code 1).
    """
    loaded, spec = _load(sheet)
    if stress is not None:
        from derivations.variants.report import stress_report

        with progress("solving draws", stress, quiet) as advance:
            click.echo(stress_report(loaded, stress, advance, jobs), nl=False)
        return
    from derivations.files import make_folder, write_atomic
    from derivations.variants.pool import build_pool
    from derivations.variants.store import pool_json

    wanted = size or spec.pool
    with progress("drawing variants", wanted, quiet) as advance:
        pool = build_pool(loaded, wanted, advance, jobs)
    if not no_tests:
        _tests(loaded, pool, quiet, jobs)
    make_folder(out_dir)
    written: list[Path] = []
    if not no_pdf:
        written = _pdfs(loaded, pool, out_dir, templates, quiet, jobs)
    target = out_dir / f"{loaded.name}.variants.json"
    write_atomic(target, pool_json(loaded, pool).encode("utf-8"), (sheet,))
    if not quiet:
        _summary(pool, [target, *written])


def _tests(loaded: Sheet, pool: Pool, quiet: bool, jobs: int) -> None:
    """Mark the question tests on every variant (on every core for a large pool);
    stop (exit 1) on a failure."""
    from functools import partial

    from derivations.cli.testing import drawn_grader, report
    from derivations.variants.tested import mark

    sources = {v.id: partial(drawn_grader, v) for v in pool.variants}
    with progress("marking question tests", len(sources), quiet) as advance:
        results = mark(sources, loaded.tests, step=advance, jobs=jobs)
    if results.failures or not quiet:
        click.echo(report(loaded.name, results, quiet, False), nl=False, err=True)
    if results.failures:
        click.echo("error: question tests failed; nothing written (see `derive test "
                   "--help`, or --no-tests)", err=True)
        raise SystemExit(1)


def _pdfs(loaded: Sheet, pool: Pool, out_dir: Path, templates: Path | None,
          quiet: bool, jobs: int) -> list[Path]:
    """The pool's PDFs; if any fails, the ones this run wrote are removed again."""
    from derivations.variants.documents import documents, outputs, write_pdfs

    planned = outputs(out_dir, loaded.name, [v.id for v in pool.variants])
    before = {p for p in planned if p.exists()}
    with progress("typesetting (key, solutions, questions)", documents(pool),
                  quiet) as advance:
        try:
            return write_pdfs(loaded, pool, out_dir, templates, lambda _: advance(1), jobs)
        except BaseException:
            for path in planned:
                if path not in before:
                    path.unlink(missing_ok=True)
            raise


def _summary(pool: Pool, written: list[Path]) -> None:
    from derivations.variants.report import spread

    dealt = len(pool.variants) - 1
    rejected = ", ".join(f"{count} {reason}" for reason, count in pool.rejected.most_common())
    click.echo(f"{dealt} variants (and v00, the sheet as written) from {pool.draws} draws"
               + (f"; rejected: {rejected}" if rejected else ""), err=True)
    for name, values in pool.drawn.items():  # a given that stopped varying shows here
        click.echo(f"{name}: {spread(pool.dealt(name))} dealt, of {spread(values)} drawn",
                   err=True)
    if pool.structural:
        click.echo("known mistakes that give the same value in every draw (the grader names "
                   "both): " + "; ".join(pool.structural), err=True)
    if pool.ambiguous:
        click.echo(f"known mistakes that give the same value in {len(pool.ambiguous)} "
                   "variant answers (the grader names both), e.g. "
                   + "; ".join(pool.ambiguous[:3]), err=True)
    shown = written if len(written) <= 8 else [*written[:5], Path("...")]
    for path in shown:
        click.echo(f"{path}", err=True)
    if len(written) > 8:
        click.echo(f"({len(written)} files)", err=True)


@variants.command("assign")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True,
              help="Where NAME.variants.json is and assignments.csv goes.")
@click.option("--reassign", metavar="STUDENT", help="Give this one student another variant.")
def assign(sheet: Path, roster: Path, out_dir: Path, reassign: str | None) -> None:
    """Deal the pool in OUT_DIR/NAME.variants.json to the students of ROSTER.csv.

    ROSTER.csv: a 'student' column, or a Moodle participants export (ID number, else
    Username, else Email address) or a Canvas gradebook export (SIS User ID, else ID)
    as downloaded: the ids grading reads from that LMS's report.

    Writes OUT_DIR/assignments.csv (student,variant,pool: the pool column names the
    sheet and a fingerprint of its salt, so another sheet's file in the same folder is
    refused rather than kept). Every variant is used about
    equally often, deterministically from the salt. If assignments.csv exists, its
    rows are kept and only new students are dealt, so nobody's variant moves; with
    --reassign STUDENT only that row changes. v00 (the sheet as written, whose
    solutions `derive build` publishes) is never dealt.
    """
    from derivations.files import read_text, write_atomic
    from derivations.variants import assign as dealing
    from derivations.variants.store import read_pool

    loaded, spec = _load(sheet)
    pool_file = out_dir / f"{loaded.name}.variants.json"
    if not pool_file.is_file():
        raise click.UsageError(f"{pool_file} does not exist: run `derive variants {sheet} -o "
                               f"{out_dir}` first")
    stored = read_pool(read_text(pool_file), str(pool_file), loaded)
    dealt = [vid for vid in stored if vid != "v00"]
    students = dealing.read_roster(read_text(roster), str(roster))
    target = out_dir / "assignments.csv"
    existing: dict[str, str] = {}
    pool = dealing.binding(loaded.name, spec.salt)
    if target.is_file():
        existing, bound = dealing.read_assignments(read_text(target), str(target),
                                                   set(stored), pool)
        if not bound:
            click.echo(f"warning: {target} does not name its pool (written by an older "
                       f"derive); its rows are kept and the file is rewritten bound to "
                       f"{pool}", err=True)
    salt = spec.salt
    if reassign is not None:
        if reassign not in existing:
            raise click.UsageError(f"{reassign!r} is not in {target}")
        assigned = dealing.reassign(existing, reassign, dealt, salt)
        click.echo(f"{reassign}: {existing[reassign]} -> {assigned[reassign]}", err=True)
    else:
        assigned = dealing.deal(students, dealt, salt, existing)
        new = len(assigned) - len(existing)
        click.echo(f"{target}: {new} students dealt, {len(existing)} kept", err=True)
    write_atomic(target, dealing.assignments_csv(assigned, pool).encode("utf-8"),
                 (sheet, roster))
