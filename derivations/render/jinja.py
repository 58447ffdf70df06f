"""Jinja2 with LaTeX-safe delimiters: solved sheets and the library become `.tex` text.

Delimiters are `\\VAR{...}`, `\\BLOCK{...}` and `\\#{...}`, so TeX keeps its braces and
`%`. Every value a template prints goes through `render.latex.to_latex`: view objects
are spelled as LaTeX, prose is escaped, so text from a TOML file, however hostile
(`\\input{/etc/passwd}`, `\\write18{...}`), reaches the PDF as literal text.

Templates are looked up in an instructor's folder first (`--templates DIR`, or
`[output] templates` in a sheet, inside the sheet's own folder) and then in the
shipped ones, so a department can replace one file (say `_preamble.tex.j2`, for its
header and logo) and keep the rest. A templates folder is code: every template,
shipped or not, renders in Jinja's `SandboxedEnvironment`, which refuses the
attribute walks (`cycler.__init__.__globals__...`) that would reach Python from a
template; a sandbox violation is a located template error.

Each LaTeX line of a template is preceded in the output by a `%@tpl NAME:LINE`
comment, so a TeX error in the generated file can be traced back to the template
line it came from (see `template_origin`).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from derivations import numbers
from derivations.errors import TemplateError
from derivations.fingerprint import shipped_templates
from derivations.render.latex import Tex, coordinate, coordinates, pdf_string, to_latex

MARKER = "%@tpl"
_JINJA_LINE = re.compile(r"^\s*\\(BLOCK|#)\{")





class MarkedLoader(jinja2.FileSystemLoader):
    """Loads templates with a `%@tpl name:line` comment before each LaTeX line.

    A comment line is invisible to TeX (it eats its own newline), so the markers
    change nothing in the PDF; they only let an error be traced to its source.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        return mark_lines(source, template), filename, uptodate


def mark_lines(source: str, name: str) -> str:
    """Insert a marker before every line that is LaTeX rather than a Jinja statement.

    The marker is emitted by an expression on the same template line
    (`\\VAR{"%@tpl name:7\\n"|tex}` followed by the line itself), so Jinja's own line
    numbers, used in template error messages, stay those of the file as written.
    """
    out = []
    for number, line in enumerate(source.split("\n"), start=1):
        if line.strip() and not _JINJA_LINE.match(line):
            out.append(f'\\VAR{{"{MARKER} {name}:{number}\\n"|tex}}{line}')
        else:
            out.append(line)
    return "\n".join(out)


def template_folders(extra: Path | None = None) -> list[Path]:
    """Where templates are looked up, first match wins: the instructor's, then ours."""
    return ([extra] if extra is not None else []) + [shipped_templates()]


@lru_cache(maxsize=16)
def environment(extra: Path | None = None) -> jinja2.Environment:
    """The LaTeX Jinja environment: LaTeX delimiters, strict undefined, escaping.

    Cached per template folder: building an environment throws away Jinja's compiled
    templates, and a pool of variants or an LMS export renders hundreds of documents
    (Jinja still reloads a template whose file changed)."""
    env = SandboxedEnvironment(
        loader=MarkedLoader([str(folder) for folder in template_folders(extra)]),
        block_start_string=r"\BLOCK{", block_end_string="}",
        variable_start_string=r"\VAR{", variable_end_string="}",
        comment_start_string=r"\#{", comment_end_string="}",
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        autoescape=False, undefined=jinja2.StrictUndefined, finalize=to_latex,
    )
    env.filters.update(tex=Tex, coordinate=coordinate, coordinates=coordinates,
                       pdfstring=pdf_string)
    return env


@lru_cache(maxsize=16)
def html_environment(extra: Path | None = None) -> jinja2.Environment:
    """The HTML Jinja environment: Jinja's own delimiters, autoescape on, and every
    printed value spelled by `render.html.to_html` (view objects as MathML or SVG)."""
    from derivations.render import html, svg

    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_folders(extra)]),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        autoescape=True, undefined=jinja2.StrictUndefined, finalize=html.to_html,
    )
    env.filters.update(layout=svg.layout, svg_number=html.svg_number, number_text=numbers.text,
                       result=html.result_html, json=json.dumps)
    return env


def render(template: str, context: dict[str, Any], extra: Path | None = None) -> str:
    """Render one template (`*.html.j2`, `*.svg.j2` as markup, the rest as LaTeX); mistakes
    become a located TemplateError."""
    markup = template.endswith((".html.j2", ".svg.j2"))
    env = html_environment(extra) if markup else environment(extra)
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(exc.name or template, exc.lineno, exc.message or "syntax error") \
            from None
    except jinja2.TemplateError as exc:  # SecurityError (the sandbox) is one of these
        raise TemplateError(template, _render_line(exc), str(exc)) from None


def _render_line(exc: BaseException) -> int | None:
    """The template line a render-time error was raised at (from the traceback)."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def template_origin(tex: str, line: int) -> str | None:
    """`solution.tex.j2:42` for line `line` (1-based) of generated TeX, if marked."""
    lines = tex.split("\n")
    for index in range(min(line, len(lines)) - 1, -1, -1):
        position = lines[index].rfind(MARKER)  # may follow text a block left on the line
        if position >= 0:
            return lines[index][position + len(MARKER):].strip()
    return None
