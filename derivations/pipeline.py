"""The one pipeline: where a sheet is read and solved, for every command and the API.

    read_sheet(path)     file -> Sheet        (bounded read, located errors)
    solved(path)         file -> Solved       (sheet, solution, plots; cached per content)
    document(target)     a build target -> its page, .tex or PDF written (render.build)
    build(targets)       every target that changed, incrementally and in parallel
    grading_run(...)     a sheet and an answers file -> what `derive check` marks
    load(source)         path or TOML text -> Sheet          (the Python API)
    solve(source)        path or TOML text -> SolvedSheet    (the Python API)

Every arrow in between is a pure function of the stages: `sheet` reads, `solver`
solves, `present` decides what is shown, `render` spells it for a target. Why one
place: each command used to wire load -> solve -> present by hand (six copies of the
same line), and a build target read its sheet three times.

sympy and the stages are imported inside the functions, so `derive --help` (which
imports this module through the commands) stays fast.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derivations.errors import ArgumentError
from derivations.files import MAX_INPUT_BYTES, read_text

if TYPE_CHECKING:
    from derivations.grade.runner import GradingRun
    from derivations.present.plots import PlotData
    from derivations.render.build import Document, Outcome, Target
    from derivations.render.notebook import SolvedSheet
    from derivations.sheet.model import Sheet
    from derivations.solver.solution import Solution


@dataclass(frozen=True)
class Solved:
    """A sheet with its solution; its plots are computed when first asked for (a
    sweep re-solves the sheet once per plot, which `derive solve` never needs)."""

    sheet: Sheet
    solution: Solution
    _plots: list[PlotData] = field(default_factory=list, compare=False, repr=False)

    @property
    def plots(self) -> list[PlotData]:
        if not self._plots and self.sheet.plots:
            from derivations.present.plots import plot_data

            self._plots.extend(plot_data(self.solution))
        return self._plots


def read_sheet(path: Path) -> Sheet:
    """Read and parse one sheet file (a regular UTF-8 file of bounded size)."""
    return parse_sheet(read_text(path), path)


def parse_sheet(text: str, path: Path) -> Sheet:
    """A sheet from its text, named as if read from `path` (a sheet a command wrote,
    checked before it is written)."""
    from derivations.sheet.spec import load_sheet

    return load_sheet(text, str(path), path.stem)


def solve_file(path: Path, problem_id: str | None = None) -> Solution:
    """The solution of one sheet file (or of one of its problems)."""
    from derivations.solver.engine import solution_of

    return solution_of(read_sheet(path), problem_id)


_SOLVED: dict[tuple[str, str], Solved] = {}


def solved(path: Path) -> Solved:
    """The sheet, its solution and its plots, once per process and file content.

    Why cached: a sheet gives up to four documents (solutions and questions, as PDF
    and page); solving it once for all of them keeps `build --format all` close to
    the cost of one solve. One entry: documents are built one sheet after another.
    """
    from derivations.solver.engine import solution_of

    text = read_text(path)
    key = (str(path.resolve()), hashlib.sha256(text.encode()).hexdigest())
    if key not in _SOLVED:
        sheet = parse_sheet(text, path)
        _SOLVED.clear()
        _SOLVED[key] = Solved(sheet, solution_of(sheet))
    return _SOLVED[key]


def load(source: str | Path) -> Sheet:
    """A sheet from a path or from TOML text (the API's `derivations.load`).

    Anything else (None, a number, bytes, a path with a NUL byte, text beyond the
    64 MiB input cap) raises `ArgumentError`, one of the package's own errors, rather
    than whatever Python raises deep inside."""
    from derivations.sheet.spec import load_sheet

    if not isinstance(source, str | Path):
        raise ArgumentError("source", f"a path or TOML text, not {type(source).__name__}"
                            + (" (decode bytes first)" if isinstance(source, bytes) else ""))
    if "\0" in str(source):
        raise ArgumentError("source", "holds a NUL character; neither a path nor TOML text")
    if isinstance(source, Path) or ("\n" not in source and source.endswith(".toml")):
        return read_sheet(Path(source))
    if len(source) > MAX_INPUT_BYTES:
        raise ArgumentError("source", f"TOML text of {len(source)} characters; the input "
                            f"cap is {MAX_INPUT_BYTES // 2**20} MiB")
    return load_sheet(source, "<text>", "sheet")


def solve(source: str | Path, *, problem: str | None = None) -> SolvedSheet:
    """Solve a sheet given as a path or TOML text (the API's `derivations.solve`)."""
    from derivations.render.notebook import SolvedSheet
    from derivations.solver.engine import solution_of

    if problem is not None and not isinstance(problem, str):
        raise ArgumentError("problem", f"a problem id such as 'E2', not "
                            f"{type(problem).__name__}")
    return SolvedSheet(solution_of(load(source), problem))


def document(target: Target) -> Outcome:
    """Make one build target: read and solve its sheet (or take the library, for the
    cheat sheet), present it, and have `render.build` write it. Returns (the error,
    warnings) instead of raising, so that one document's failure leaves the others
    to be built (an error pickles by its fields, `errors.DerivationsError`)."""
    from derivations.errors import DerivationsError
    from derivations.render.build import write_document

    warnings: tuple[str, ...] = ()
    try:
        made = _document(target)
        warnings = made[3]
        warnings += tuple(write_document(target, made))
    except DerivationsError as exc:
        return exc, warnings
    return None, warnings


def _document(target: Target) -> Document:
    from derivations.present import view
    from derivations.render.build import checked_folder
    from derivations.render.latex import glyph_warnings

    if target.sheet is None:
        context = view.cheatsheet_context(list(target.topics) or None)
        return "cheatsheet.tex.j2", context, checked_folder(target.template_folder()), ()
    made = solved(target.sheet)
    sheet = made.sheet
    folder = checked_folder(target.template_folder(sheet.templates),
                            None if target.templates else sheet)
    warnings = tuple(glyph_warnings(sheet)) if not target.html else ()
    if not target.questions:
        from derivations.present.prose import placeholder_warnings

        warnings += tuple(placeholder_warnings(made.solution))
    if target.questions:
        from derivations.present.questions import questions_context

        return ("questions.tex.j2", questions_context(made.solution, made.plots), folder,
                warnings)
    return ("solution.tex.j2", view.solution_context(made.solution, made.plots), folder,
            warnings)


def build(targets: list[Target], **options: Any) -> dict[str, str]:
    """`render.build.build` with this pipeline making each document (`document`);
    options: jobs, force, on_start, on_done, on_warning."""
    from derivations.render.build import build as build_targets

    return build_targets(targets, document, **options)


def grading_run(sheet: Path, answers: Path, pool: Path | None = None,
                assignments: Path | None = None, attempt: str = "last") -> GradingRun:
    """Solve the sheet and decide how to read and mark `answers`: a Moodle or Canvas
    report (each response against its question's variant), or a class CSV / JSON /
    TOML file (against the sheet, or with `pool` each student against their own
    variant: a `variant` column, else `assignments`). `attempt` picks which attempt of
    a student an LMS report lists several of (`lms.responses.ATTEMPTS`)."""
    from derivations.grade import gradebook
    from derivations.grade.grader import Grader
    from derivations.grade.runner import VARIANT_COLUMN, GradingRun, SheetGrader, Submissions
    from derivations.lms.responses import ResponseGrader, is_report, read_responses

    solution = solve_file(sheet)
    grader = Grader(solution)
    keys, allowed = grader.keys, [*grader.keys]
    text = read_text(answers)
    from_lms = is_report(text, answers)
    own = None
    if pool is not None:
        from derivations.variants.grading import VariantGraders

        own = VariantGraders(solution.sheet, pool, assignments)
        allowed.append(VARIANT_COLUMN)
    if from_lms:
        notes: list[str] = []
        responses, asked = read_responses(text, str(answers), solution.sheet.name, list(keys),
                                          attempt, notes)
        return GradingRun(solution.sheet, {aid: key for aid, key in keys.items() if aid in asked},
                          responses, ResponseGrader(grader, own, str(answers), asked),
                          pool is not None, tuple(notes))
    rows = gradebook.read_answers(text, str(answers), allowed)
    return GradingRun(solution.sheet, keys, Submissions(rows), own or SheetGrader(grader),
                      pool is not None)
