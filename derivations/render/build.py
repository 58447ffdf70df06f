"""`derive build`: sheets and the cheat sheet to PDFs, incrementally and in parallel.

A target is rebuilt only when its content hash changes: the sheet's bytes (or the
cheat sheet's topics) plus a fingerprint of the package (engine, library, templates).
Checking that costs no sympy import and no TeX run, so an unchanged rebuild is about
as fast as `derive --help`. Heavy modules are imported inside the worker only.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derivations.errors import BuildError, DerivationsError, SpecError
from derivations.files import (
    FileError,
    check_output,
    make_folder,
    read_bytes,
    read_text,
    templates_problem,
    write_atomic,
)
from derivations.fingerprint import (
    ASSET_SUFFIXES,
    TEMPLATE_SUFFIXES,
    fingerprint,
    folder_digest,
)
from derivations.sheet.model import Sheet

STATE_FILE = ".derive-state.json"
CHEATSHEET = "cheatsheet"
QUESTIONS = "-questions"  # suffix of a sheet's question-sheet document





@dataclass(frozen=True)
class Target:
    """One document to produce: a solution sheet or the cheat sheet."""

    name: str
    out_dir: Path
    sheet: Path | None = None
    topics: tuple[str, ...] = ()
    tex_only: bool = False
    templates: Path | None = None
    questions: bool = False  # the question sheet of `sheet`, not its solutions
    html: bool = False       # a web page (NAME.html) instead of a PDF

    @property
    def key(self) -> str:
        """The target's name in the build state (a sheet's PDF and page differ)."""
        return f"{self.name}.html" if self.html else self.name

    @property
    def pdf(self) -> Path:
        return self.out_dir / f"{self.name}.pdf"

    @property
    def page(self) -> Path:
        return self.out_dir / f"{self.name}.html"

    @property
    def output(self) -> Path:
        """The file a person opens: the page, the .tex (`tex_only`) or the PDF."""
        return self.page if self.html else self.tex if self.tex_only else self.pdf

    @property
    def tex(self) -> Path:
        return self.out_dir / f"{self.name}.tex"

    def digest(self, fingerprint: str) -> str:
        h = hashlib.sha256(fingerprint.encode())
        if self.sheet is not None:
            h.update(read_bytes(self.sheet))
        h.update(("|".join(self.topics) + f"|tex_only={self.tex_only}"
                  f"|questions={self.questions}|html={self.html}").encode())
        h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
        folder = self.template_folder()
        if folder is not None and folder.is_dir():
            digest = folder_digest(folder, (*TEMPLATE_SUFFIXES, *ASSET_SUFFIXES))
            h.update(f"templates={folder.resolve()}:{digest}".encode())
        return h.hexdigest()

    def template_folder(self, declared: str | None = None) -> Path | None:
        """The instructor's templates for this document, if any.

        `--templates` on the command line wins; otherwise a sheet's `[output]
        templates`, relative to the sheet's folder (`declared` once the sheet is
        parsed; before that, read straight from the TOML, which costs no sympy).
        """
        if self.templates is not None:
            return self.templates
        if self.sheet is None:
            return None
        if declared is None:
            declared = declared_templates(self.sheet)
        if not declared or templates_problem(declared):
            return None  # the full load reports it, located, before anything is built
        return self.sheet.parent / declared

    def is_built(self) -> bool:
        """The outputs are there, and complete (a truncated file is rebuilt)."""
        if self.html:
            return _ends_with(self.page, b"</html>\n")
        return _is_file(self.tex) and (self.tex_only or _looks_like_pdf(self.pdf))


def _is_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _ends_with(path: Path, tail: bytes) -> bool:
    if not _is_file(path):
        return False
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, path.stat().st_size - len(tail)))
            return handle.read() == tail
    except OSError:
        return False


def _looks_like_pdf(path: Path) -> bool:
    if not _is_file(path):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(5)
            handle.seek(max(0, path.stat().st_size - 1024))
            tail = handle.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


def declared_templates(sheet: Path) -> str:
    """`[output] templates` of a sheet file, or '' (errors are reported by the full load)."""
    try:
        data = tomllib.loads(read_text(sheet))
    except (DerivationsError, tomllib.TOMLDecodeError, RecursionError):
        return ""
    output = data.get("output")
    folder = output.get("templates") if isinstance(output, dict) else None
    return folder if isinstance(folder, str) else ""

def build(targets: list[Target], produce: Callable[[Target], Outcome], jobs: int = 1,
          force: bool = False, on_start: Callable[[int], None] | None = None,
          on_done: Callable[[str], None] | None = None,
          on_warning: Callable[[str], None] | None = None) -> dict[str, str]:
    """Build every target that changed; returns key -> `built` or `up to date`.

    Args:
        targets: what to build (all in one output folder).
        produce: makes one target and says how it went (`pipeline.document`: read,
            solve, present, then `write_document`); a module-level function, so that
            worker processes can be handed it.
        jobs: worker processes; 1 builds inline.
        force: rebuild even when nothing changed.
        on_start: told how many targets will actually be built.
        on_done: told the name of each target as it finishes.
        on_warning: told each warning (text the fonts cannot show, ...).

    Raises:
        BuildError: the first target that failed (the others still finish).
    """
    if not targets:
        return {}
    if any(not t.html and not t.tex_only for t in targets):
        from derivations.render.compile import tex_environment, tex_timeout

        tex_environment(), tex_timeout()  # a bad DERIVE_TEX_TIMEOUT fails before any output
    out_dir = targets[0].out_dir
    make_folder(out_dir)
    state = _read_state(out_dir)
    code = fingerprint()
    status: dict[str, str] = {}
    todo = []
    for target in targets:
        digest = target.digest(code)
        if not force and state.get(target.key) == digest and target.is_built():
            status[target.key] = "up to date"
        else:
            todo.append((target, digest))
    if on_start is not None:
        on_start(len(todo))
    errors: list[DerivationsError] = []
    changes: dict[str, str | None] = {}
    try:
        for target, digest, (error, warnings) in _run(todo, produce, jobs):
            if on_done is not None:
                on_done(target.name)
            for warning in warnings:
                if on_warning is not None:
                    on_warning(warning)
            changes[target.key] = digest if error is None else None
            if error is None:
                status[target.key] = "built"
            else:
                errors.append(error)
    finally:  # what did build is remembered even when another document failed
        _update_state(out_dir, changes)
    if errors:
        raise BuildError(errors)
    return status


def _run(todo: list[tuple[Target, str]], produce: Callable[[Target], Outcome], jobs: int
         ) -> Iterator[tuple[Target, str, Outcome]]:
    """Run targets inline or in worker processes, yielding (target, digest, outcome)."""
    if jobs <= 1 or len(todo) <= 1:
        for target, digest in todo:
            yield target, digest, produce(target)
        return
    import multiprocessing  # only when parallel: it costs 20 ms to import
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        try:
            futures = {pool.submit(produce, t): (t, d) for t, d in todo}
            for future in as_completed(futures):
                target, digest = futures[future]
                yield target, digest, future.result()
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM): stop the workers now; each one kills its
            # TeX process group and removes its scratch folder on the way out.
            pool.shutdown(wait=False, cancel_futures=True)
            for child in multiprocessing.active_children():
                child.terminate()
            raise


Outcome = tuple[DerivationsError | None, tuple[str, ...]]  # (what failed, warnings)
#: What the pipeline hands a target to write: template name, context, the instructor's
#: template folder, warnings about text the PDF fonts cannot show.
Document = tuple[str, dict[str, Any], Path | None, tuple[str, ...]]


def write_document(target: Target, document: Document) -> list[str]:
    """Render a target's template and write its page, .tex or PDF (atomically); returns
    the warnings TeX's log gives about lines wider than the text."""
    from derivations.render import jinja as render
    from derivations.render.compile import compile_pdf

    template, context, folder, _ = document
    if target.html:
        page = render.render(template.replace(".tex.j2", ".html.j2"), context, folder)
        write_atomic(target.page, page.encode("utf-8"))
        return []
    tex = render.render(template, context, folder)
    if target.tex_only:
        write_atomic(target.tex, tex.encode("utf-8"))
        return []
    too_wide = compile_pdf(tex, target.pdf, folder)
    write_atomic(target.tex, tex.encode("utf-8"))
    return too_wide


def checked_folder(folder: Path | None, sheet: Sheet | None = None) -> Path | None:
    """`folder` if it is a directory; otherwise an error located where it was named.

    `sheet` is the parsed sheet when the folder came from its `[output] templates`:
    then the folder, symbolic links followed, must be inside the sheet's own folder
    (templates are code, a sheet is data: `files.templates_problem`)."""
    if folder is not None and sheet is not None:
        home = Path(sheet.file).parent.resolve()
        if not folder.resolve().is_relative_to(home):
            raise SpecError(sheet.file, "output.templates",
                            f"templates folder {sheet.templates!r} leads out of the sheet's "
                            f"folder (to {folder.resolve()}); a sheet names templates only "
                            "inside its own folder (use --templates DIR)",
                            sheet.line_of("output.templates"))
    if folder is None or folder.is_dir():
        return folder
    if sheet is None:
        raise FileError(folder, "no such templates folder")
    raise SpecError(sheet.file, "output.templates",
                    f"templates folder {sheet.templates!r} does not exist (looked for {folder})",
                    sheet.line_of("output.templates"))


def sheet_templates(sheet: Sheet) -> Path | None:
    """The sheet's own `[output] templates` folder (checked), or None."""
    if not sheet.templates:
        return None
    return checked_folder(Path(sheet.file).parent / sheet.templates, sheet)


def _read_state(out_dir: Path) -> dict[str, str]:
    """The build state, or {} when it is missing or not ours (then everything rebuilds)."""
    path = out_dir / STATE_FILE
    if not _is_file(path):
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _update_state(out_dir: Path, changes: dict[str, str | None]) -> None:
    """Merge this run's results into the state file under a lock.

    Why merge under a lock: two `derive build` runs of different sheets into one
    folder would otherwise each write back the state they read, losing the other's.
    """
    if not changes:
        return
    make_folder(out_dir)
    lock_path = out_dir / ".derive-state.lock"
    check_output(lock_path)
    try:
        lock = open(lock_path, "a")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise FileError(lock_path, f"cannot write: {exc.strerror}") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = _read_state(out_dir)
        for name, digest in changes.items():
            if digest is None:
                state.pop(name, None)
            else:
                state[name] = digest
        write_atomic(out_dir / STATE_FILE,
                     json.dumps(state, indent=1, sort_keys=True).encode())


def render_report(template: str, context: dict[str, Any], pdf: Path,
                  folder: Path | None = None) -> None:
    """Compile a report (the class grading report, `grades.tex.j2`) to `pdf` through
    the same locked-down LaTeX pipeline; its context comes from the stage that made
    it (`grade.report.grades_context`), joined here by the command."""
    from derivations.render import jinja as render
    from derivations.render.compile import compile_pdf

    compile_pdf(render.render(template, context, folder), pdf, folder)


def render_work_report(context: dict[str, Any], path: Path) -> None:
    """The `derive check-work` report: a PDF through the LaTeX pipeline, or a
    self-contained HTML page, from the one view `work.output.view` computed."""
    from derivations.render import jinja as render
    from derivations.render.compile import compile_pdf

    if path.suffix.lower() == ".html":
        write_atomic(path, work_page(context))
    else:
        compile_pdf(render.render("check_work.tex.j2", context), path)



def work_page(context: dict[str, Any]) -> bytes:
    """The HTML page of one checked write-up (a report, or a feedback file)."""
    from derivations.render import jinja as render

    return render.render("check_work.html.j2", {**context, "course": None,
                                                "givens": None}).encode("utf-8")


def render_analysis(context: dict[str, Any], path: Path) -> None:
    """The `derive analyse --report` page: self-contained HTML with its plots drawn
    as inline SVG, from the view `analyse.report.view` computed."""
    from derivations.render import jinja as render

    page = render.render("analysis.html.j2", {**context, "course": None, "givens": None})
    write_atomic(path, page.encode("utf-8"))
