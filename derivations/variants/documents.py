"""PDFs of a pool: one question and one solution PDF per variant, and the answer key.

Why combined documents: of the time one pdflatex pass takes on a sheet, most is the
preamble (packages, pgfplots, fonts). All variants' solutions are therefore typeset as
one document, each variant from a new page under a bookmark named by its id, and the
PDF is split into one file per variant with pypdf, where each variant's named link
target (`variant:v07`) points; the same for the questions. TeX runs one pass on each
of three documents for a whole pool, instead of two passes per variant.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from derivations.files import write_atomic
from derivations.present import plots as plot_data
from derivations.present.questions import questions_context
from derivations.present.view import solution_context
from derivations.render import jinja
from derivations.render.compile import compile_pdf
from derivations.sheet.model import Sheet
from derivations.variants.key import key_context
from derivations.variants.pool import Pool, VariantsError


def outputs(out_dir: Path, name: str, ids: list[str]) -> list[Path]:
    """Every PDF `write_pdfs` writes, in order (for the summary and the tests)."""
    found = [out_dir / f"{name}-key.pdf", out_dir / f"{name}-variants.pdf",
             out_dir / f"{name}-variants-questions.pdf"]
    for vid in ids:
        found += [out_dir / f"{name}-{vid}.pdf", out_dir / f"{name}-{vid}-questions.pdf"]
    return found


def write_pdfs(sheet: Sheet, pool: Pool, out_dir: Path, templates: Path | None = None,
               step: Callable[[str], None] | None = None) -> list[Path]:
    """Typeset the pool: the answer key, the two combined documents and their pieces."""
    ids = [v.id for v in pool.variants]
    solutions, questions = [], []
    for variant in pool.variants:
        drawn = plot_data.plot_data(variant.solution)
        solutions.append(solution_context(variant.solution, drawn, variant.id))
        questions.append(questions_context(variant.solution, drawn, variant.id))
    base = {"title": sheet.title, "course": sheet.course}
    key = out_dir / f"{sheet.name}-key.pdf"
    compile_pdf(jinja.render("answer_key.tex.j2", {**base, **key_context(sheet, pool)},
                             templates), key, templates, single_pass=True)
    _tell(step, key.name)
    written = [key]
    for documents, body, suffix in ((solutions, "_solution_body.tex.j2", ""),
                                    (questions, "_questions_body.tex.j2", "-questions")):
        def target(vid: str, suffix: str = suffix) -> Path:
            return out_dir / f"{sheet.name}-{vid}{suffix}.pdf"

        combined = out_dir / f"{sheet.name}-variants{suffix}.pdf"
        tex = jinja.render("variants.tex.j2", {**base, "documents": documents, "body": body},
                           templates)
        compile_pdf(tex, combined, templates, single_pass=True)
        _tell(step, combined.name)
        written.append(combined)
        written += split(combined, ids, target)
    return written


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
