"""TeX to PDF through pylatex and latexmk, locked down, atomic and reproducible.

* No shell escape (`-no-shell-escape`), and kpathsea's `openin_any=p` /
  `openout_any=p`, so a document cannot run programs or read and write files
  outside its folder.
* The PDF is produced in a private work folder and renamed into place, so a failed
  run leaves the previous PDF untouched; the TeX log is kept next to it.
* `SOURCE_DATE_EPOCH` (and `FORCE_SOURCE_DATE`) plus a fixed `\\pdftrailerid` make
  two builds of the same input byte-identical.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pylatex

from derivations.errors import DerivationsError
from derivations.files import write_atomic
from derivations.fingerprint import ASSET_SUFFIXES
from derivations.render.jinja import template_origin

DEFAULT_EPOCH = "946684800"  # 2000-01-01: a fixed date for reproducible PDFs
LATEXMK_ARGS = ["-pdf", "-no-shell-escape", "-halt-on-error", "-file-line-error",
                "-interaction=nonstopmode"]
_ERROR_LINE = re.compile(r"^(?:\./)?[^:\s]+\.tex:(\d+): (.*)$|^! (.*)$")


@dataclass
class TexError(DerivationsError):
    """TeX failed; carries the first error, where it came from and the kept log."""

    document: str
    message: str
    tex_line: int | None
    origin: str | None
    log: Path | None

    def __str__(self) -> str:
        where = f" at line {self.tex_line} of {self.document}.tex" if self.tex_line else ""
        origin = f" (template {self.origin})" if self.origin else ""
        log = f"; full log: {self.log}" if self.log else ""
        return f"TeX failed{where}{origin}: {self.message}{log}"


class _Prepared(pylatex.Document):
    """A pylatex Document whose source is our rendered template."""

    def __init__(self, tex: str) -> None:
        super().__init__()
        self._tex = tex

    def dumps(self) -> str:
        return self._tex


def tex_environment() -> dict[str, str]:
    """The environment TeX runs in: paranoid file access, fixed dates."""
    return {
        "openin_any": "p",
        "openout_any": "p",
        "shell_escape": "f",
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH),
        "FORCE_SOURCE_DATE": "1",
    }


def latexmk_args(work: Path) -> list[str]:
    """latexmk options: no shell escape, stop at the first error, TeX confined to `work`.

    Paranoid mode (openin_any=p) refuses absolute paths outside TEXMFOUTPUT, pylatex
    names the main file by its absolute path, and latexmk resets TEXMFOUTPUT to its
    aux folder; so the pdflatex command itself sets TEXMFOUTPUT to the work folder.
    """
    command = f"TEXMFOUTPUT={shlex.quote(str(work))} pdflatex %O %S"
    return [*LATEXMK_ARGS, f"-pdflatex={command}"]


def copy_assets(folder: Path | None, work: Path) -> None:
    """Copy the images of an instructor's template folder beside the `.tex` file.

    Why: TeX runs in paranoid mode and may read only inside its scratch folder, so a
    department logo is found as `\\includegraphics{logo.png}` only once it is there.
    Only regular files with an image suffix are copied, never through a symlink.
    """
    if folder is None:
        return
    for item in sorted(folder.iterdir()):
        if item.suffix.lower() in ASSET_SUFFIXES and item.is_file() and not item.is_symlink():
            shutil.copyfile(item, work / item.name)


def compile_pdf(tex: str, pdf: Path, assets: Path | None = None) -> None:
    """Compile `tex` into `pdf` atomically, in a private scratch folder.

    `assets` is an instructor's template folder whose images TeX may include.

    Raises:
        TexError: with the first TeX error, the offending generated line and the
            template line that produced it; the previous `pdf` (if any) is left as it
            was and the TeX log is kept beside it as NAME.log.
    """
    name = pdf.stem
    log_copy = pdf.with_suffix(".log")
    with tempfile.TemporaryDirectory(prefix="derive-") as scratch:
        work = Path(scratch).resolve()
        os.environ.update(tex_environment())
        output = io.StringIO()
        copy_assets(assets, work)
        try:
            with contextlib.redirect_stdout(output):
                _Prepared(tex).generate_pdf(str(work / name), clean=False, clean_tex=False,
                                            compiler="latexmk",
                                            compiler_args=latexmk_args(work))
        except subprocess.CalledProcessError as exc:
            log = _keep_log(work / f"{name}.log", log_copy)
            raise first_error(tex, name, _log_text(log, exc), log) from None
        except FileNotFoundError:
            raise DerivationsError("latexmk not found: install TeX Live (make build does)") \
                from None
        write_atomic(pdf, (work / f"{name}.pdf").read_bytes())
    log_copy.unlink(missing_ok=True)


def _keep_log(source: Path, target: Path) -> Path | None:
    if not source.exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _log_text(log: Path | None, exc: subprocess.CalledProcessError) -> str:
    if log is not None:
        return log.read_text(encoding="latin-1")
    return (exc.output or b"").decode("latin-1")


def first_error(tex: str, name: str, log: str, log_path: Path | None) -> TexError:
    """The first error of a TeX log, mapped back to the generated and template lines."""
    lines = log.splitlines()
    line: int | None
    for index, text in enumerate(lines):
        match = _ERROR_LINE.match(text)
        if not match:
            continue
        if match.group(1):
            line, message = int(match.group(1)), match.group(2)
        else:
            line, message = _line_after(lines, index), match.group(3)
        context = _context(lines, index)
        message = message.strip() + (f" [{context}]" if context else "")
        return TexError(name, message, line,
                        template_origin(tex, line) if line else None, log_path)
    return TexError(name, "no error message found in the log", None, None, log_path)


def _line_after(lines: list[str], index: int) -> int | None:
    for text in lines[index:index + 20]:
        found = re.match(r"^l\.(\d+)", text)
        if found:
            return int(found.group(1))
    return None


def _context(lines: list[str], index: int) -> str:
    """The `l.42 \\badmacro` line TeX prints after an error, when there is one."""
    for text in lines[index + 1:index + 12]:
        if re.match(r"^l\.\d+", text):
            return text.strip()
    return ""
