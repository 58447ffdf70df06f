"""PDFs of a pool: one question and one solution PDF per variant, and the answer key.

Why combined documents: of the time one pdflatex pass takes on a sheet, most is the
preamble (packages, pgfplots, fonts). Variants' solutions are therefore typeset
together, each variant from a new page under a bookmark named by its id, and the PDF
is split into one file per variant with pypdf, where each variant's named link target
(`variant:v07`) points; the same for the questions.

Why chunks of `CHUNK` variants: one document of a thousand variants (4,000 pages) ran
past TeX's time limit. Chunks are typeset in parallel (one process per core, forked so
that each inherits the pool), each chunk's variants solved and laid out in the process
that typesets them; the printing copies (`NAME-variants.pdf`) are the chunks put
together with pypdf. A pool of at most `CHUNK` variants is one chunk, as before.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from derivations.files import write_atomic
from derivations.present import plots as plot_data
from derivations.present.questions import questions_context
from derivations.present.view import solution_context
from derivations.render import jinja
from derivations.render.compile import compile_pdf
from derivations.sheet.model import Sheet
from derivations.variants.key import key_context
from derivations.variants.parallel import cores, in_order
from derivations.variants.pool import Pool, VariantsError

#: Variants per typeset document: about 400 pages, a tenth of TeX's time limit.
CHUNK = 100
_BODIES = {"": "_solution_body.tex.j2", "-questions": "_questions_body.tex.j2"}


def outputs(out_dir: Path, name: str, ids: list[str]) -> list[Path]:
    """Every PDF `write_pdfs` writes, in order (for the summary and the tests)."""
    found = [out_dir / f"{name}-key.pdf", out_dir / f"{name}-variants.pdf",
             out_dir / f"{name}-variants-questions.pdf"]
    for vid in ids:
        found += [out_dir / f"{name}-{vid}.pdf", out_dir / f"{name}-{vid}-questions.pdf"]
    return found


def documents(pool: Pool) -> int:
    """How many documents `write_pdfs` typesets (the key, and two per chunk)."""
    return 1 + 2 * -(-len(pool.variants) // CHUNK)


def write_pdfs(sheet: Sheet, pool: Pool, out_dir: Path, templates: Path | None = None,
               step: Callable[[str], None] | None = None, jobs: int = 0) -> list[Path]:
    """Typeset the pool: the answer key, the two combined documents and their pieces.

    `jobs`: processes that typeset (0: one per core); the files are the same."""
    written: list[Path] = []
    tasks = _tasks(pool)
    with tempfile.TemporaryDirectory(prefix="derive-chunks-") as scratch:
        _SHARED.update(sheet=sheet, pool=pool, out_dir=out_dir, templates=templates,
                       scratch=Path(scratch))
        count = jobs or cores()
        done = in_order(_typeset, ((task, [n]) for n, task in enumerate(tasks)), count) \
            if count > 1 and len(tasks) > 1 else \
            ((task, _typeset([n])) for n, task in enumerate(tasks))
        chunks: dict[str, list[Path]] = {suffix: [] for suffix in _BODIES}
        pieces: dict[str, list[Path]] = {suffix: [] for suffix in _BODIES}
        for (suffix, _), ((chunk, files),) in done:
            if suffix == _KEY:
                written.append(chunk)
            else:
                chunks[suffix].append(chunk)
                pieces[suffix] += files
            _tell(step, chunk.name)
        for suffix in _BODIES:
            combined = out_dir / f"{sheet.name}-variants{suffix}.pdf"
            _join(chunks[suffix], combined)
            written += [combined, *pieces[suffix]]
    return written


_KEY = "key"


def _tasks(pool: Pool) -> list[tuple[str, int]]:
    """The documents to typeset: the key (it solves every variant again when they
    were vetted elsewhere, so it runs beside the chunks), then each body's chunks."""
    return [(_KEY, 0)] + [(suffix, start) for suffix in _BODIES
                          for start in range(0, len(pool.variants), CHUNK)]


#: What a forked typesetting process inherits (the sheet, the pool, where to write).
_SHARED: dict[str, Any] = {}


def _typeset(numbers: list[int]) -> list[tuple[Path, list[Path]]]:
    """Typeset the tasks `numbers` (see `_tasks`): for the key, its PDF; for a body
    and a chunk of variants, the chunk's PDF in the scratch folder and the
    per-variant PDFs cut from it."""
    sheet: Sheet = _SHARED["sheet"]
    pool: Pool = _SHARED["pool"]
    out_dir: Path = _SHARED["out_dir"]
    templates: Path | None = _SHARED["templates"]
    found: list[tuple[Path, list[Path]]] = []
    for number in numbers:
        suffix, start = _tasks(pool)[number]
        if suffix == _KEY:
            key = out_dir / f"{sheet.name}-key.pdf"
            compile_pdf(jinja.render("answer_key.tex.j2", {
                "title": sheet.title, "course": sheet.course, **key_context(sheet, pool)},
                templates), key, templates, single_pass=True)
            found.append((key, []))
            continue
        variants = pool.variants[start:start + CHUNK]
        context = questions_context if suffix else solution_context
        bodies = [context(v.solution, plot_data.plot_data(v.solution), v.id)
                  for v in variants]
        tex = jinja.render("variants.tex.j2", {"title": sheet.title, "course": sheet.course,
                                               "documents": bodies, "body": _BODIES[suffix]},
                           templates)
        chunk = _SHARED["scratch"] / f"{sheet.name}-variants{suffix}-{start:04d}.pdf"
        compile_pdf(tex, chunk, templates, single_pass=True)

        def target(vid: str, suffix: str = suffix) -> Path:
            return out_dir / f"{sheet.name}-{vid}{suffix}.pdf"

        found.append((chunk, split(chunk, [v.id for v in variants], target)))
    return found


def _join(chunks: list[Path], combined: Path) -> None:
    """The printing copy: the one chunk as typeset, or the chunks put together."""
    if len(chunks) == 1:
        write_atomic(combined, chunks[0].read_bytes())
        return
    from pypdf import PdfWriter

    writer = PdfWriter()
    for chunk in chunks:
        writer.append(str(chunk))
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomic(combined, buffer.getvalue())


def _tell(step: Callable[[str], None] | None, what: str) -> None:
    if step is not None:
        step(what)


def split(combined: Path, ids: list[str], target: Callable[[str], Path]) -> list[Path]:
    """One PDF per variant, cut where each variant's bookmark points."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(combined)
    starts: dict[str, int] = {}
    for name, destination in reader.named_destinations.items():
        page = reader.get_destination_page_number(destination)
        if str(name).startswith("variant:") and page is not None:
            starts[str(name)[len("variant:"):]] = page
    if sorted(starts) != sorted(ids):
        raise VariantsError(f"{combined}: its link targets {sorted(starts)} do not name the "
                            "variants; a template must keep the \\hypertarget{variant:...} of "
                            "variants.tex.j2")
    order = sorted(ids, key=lambda vid: starts[vid])
    ends = [starts[v] for v in order[1:]] + [len(reader.pages)]
    written = []
    for vid, end in zip(order, ends, strict=True):
        writer = PdfWriter()
        for number in range(starts[vid], end):
            writer.add_page(reader.pages[number])
        title = (reader.metadata.title if reader.metadata is not None else None) or ""
        writer.add_metadata({"/Title": f"{title} ({vid})".strip(),
                             "/Producer": "derivations"})
        buffer = io.BytesIO()
        writer.write(buffer)
        write_atomic(target(vid), buffer.getvalue())
        written.append(target(vid))
    return written
