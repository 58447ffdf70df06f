"""TeX to PDF through pylatex and latexmk, locked down, atomic, bounded and reproducible.

* No shell escape (`-no-shell-escape`), and kpathsea's `openin_any=p` /
  `openout_any=p`, so a document cannot run programs or read and write files
  outside its folder.
* No name from the user reaches a shell or a command line: pylatex writes the
  document as `doc.tex` in a private scratch folder, latexmk runs there on that fixed
  job name (arguments as a list, no shell), and the PDF is then copied to the path
  asked for. A sheet called `` `id`.toml `` or `$(x);y.toml` is only a file name.
* TeX gets `TEX_TIMEOUT` seconds (`DERIVE_TEX_TIMEOUT`); past that, or on SIGTERM or
  Ctrl-C, its whole process group is killed and the scratch folder removed.
* The PDF is renamed into place, so a failed run leaves the previous PDF untouched;
  the TeX log is kept next to it as NAME.log.
* `SOURCE_DATE_EPOCH` (and `FORCE_SOURCE_DATE`) plus a fixed `\\pdftrailerid` make
  two builds of the same input byte-identical.
"""

from __future__ import annotations

import math
import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path

import pylatex

from derivations.errors import LimitError, SettingError, TexError
from derivations.files import write_atomic
from derivations.fingerprint import ASSET_SUFFIXES
from derivations.numbers import compact, figures
from derivations.numbers import text as spelled
from derivations.render.jinja import template_origin

DEFAULT_EPOCH = "946684800"  # 2000-01-01: a fixed date for reproducible PDFs
JOB = "doc"  # the fixed TeX job name: user names never reach latexmk
TEX_TIMEOUT = 120.0
LATEXMK_ARGS = ["-pdf", "-no-shell-escape", "-halt-on-error", "-file-line-error",
                "-interaction=nonstopmode"]
_ERROR_LINE = re.compile(r"^(?:\./)?[^:\s]+\.tex:(\d+): (.*)$|^! (.*)$")





def source_date_epoch() -> str:
    """`SOURCE_DATE_EPOCH` if it is a whole number of seconds, else a clear error."""
    value = os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH).strip()
    if not value.isdigit() or len(value) > 12:
        raise SettingError("SOURCE_DATE_EPOCH", f"must be a whole number of seconds since "
                           f"1970, not {value[:40]!r}")
    return value


#: The longest time limit DERIVE_TEX_TIMEOUT may set: a day.
MAX_TEX_TIMEOUT = 86400


def tex_timeout() -> float:
    """TeX's time limit in seconds: DERIVE_TEX_TIMEOUT, a number above 0 and at most a
    day (`nan`, `inf`, `1e999`, `0` or `-5` is a clear error, not a crash or no limit)."""
    value = os.environ.get("DERIVE_TEX_TIMEOUT", "")
    if not value:
        return TEX_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= MAX_TEX_TIMEOUT:  # also false for nan
        raise SettingError("DERIVE_TEX_TIMEOUT", f"must be a number of seconds above 0 and at "
                           f"most {MAX_TEX_TIMEOUT}, not {value[:40]!r}")
    return seconds


def tex_environment() -> dict[str, str]:
    """The environment TeX runs in: paranoid file access, no shell escape, fixed dates."""
    return {
        **os.environ,
        "openin_any": "p",
        "openout_any": "p",
        "shell_escape": "f",
        "SOURCE_DATE_EPOCH": source_date_epoch(),
        "FORCE_SOURCE_DATE": "1",
    }


def latexmk_command() -> list[str]:
    """latexmk on the fixed job name, run in the scratch folder (a relative main file,
    which paranoid mode accepts without TEXMFOUTPUT)."""
    return ["latexmk", *LATEXMK_ARGS, f"{JOB}.tex"]


def pdflatex_command() -> list[str]:
    """One pdflatex pass, locked down like latexmk's (see `compile_pdf(single_pass)`)."""
    return ["pdflatex", *LATEXMK_ARGS[1:], f"{JOB}.tex"]


#: What pdflatex writes when one pass was not enough (a template with \\ref or \\cite, a
#: longtable whose column widths settle in a second pass, ...).
#: A line TeX could not fit: `Overfull \hbox (179.3pt too wide) in paragraph at lines 86--86`.
_OVERFULL = re.compile(r"^Overfull \\hbox \(([\d.]+)pt too wide\).*?at lines? (\d+)", re.MULTILINE)
#: Wider than this sticks out of the margin visibly; TeX reports fractions of a point too.
OVERFULL_TOLERANCE_PT = 1.0
_RERUN = re.compile(rb"There were undefined references|Rerun LaTeX|Rerun to get "
                    rb"cross-references|Label\(s\) may have changed")


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
            (work / item.name).write_bytes(item.read_bytes())


class _Prepared(pylatex.Document):
    """A pylatex Document whose source is our rendered template."""

    def __init__(self, tex: str) -> None:
        super().__init__()
        self._tex = tex

    def dumps(self) -> str:
        return self._tex


def compile_pdf(tex: str, pdf: Path, assets: Path | None = None,
                single_pass: bool = False) -> list[str]:
    """Compile `tex` into `pdf` atomically, in a private scratch folder.

    `assets` is an instructor's template folder whose images TeX may include.
    `single_pass`: run pdflatex once, and latexmk only if the log asks for another
    pass. Why: latexmk always runs twice on a fresh folder (the new .aux file counts
    as a change), which for a long document of many variants doubles the time, while
    the shipped templates link with \\hyperlink and need no second pass.

    Returns:
        A warning for each line set wider than the text (`overfull_lines`): the PDF
        is written, but something runs past its margin.

    Raises:
        TexError: with the first TeX error, the offending generated line and the
            template line that produced it; the previous `pdf` (if any) is left as it
            was and the TeX log is kept beside it as NAME.log.
    """
    name = pdf.stem
    log_copy = pdf.with_suffix(".log")
    env, timeout = tex_environment(), tex_timeout()
    with tempfile.TemporaryDirectory(prefix="derive-") as scratch:
        work = Path(scratch)
        _Prepared(tex).generate_tex(str(work / JOB))
        copy_assets(assets, work)
        code, output = run_tex(work, env, timeout,
                               pdflatex_command() if single_pass else latexmk_command())
        log_file = work / f"{JOB}.log"
        if single_pass and code == 0 and log_file.is_file() \
                and _RERUN.search(log_file.read_bytes()):
            code, output = run_tex(work, env, timeout)
        if code is None:
            _keep_log(work / f"{JOB}.log", log_copy)
            raise LimitError(f"TeX ran longer than {compact(timeout)} s on {name} and was "
                             "stopped (DERIVE_TEX_TIMEOUT sets the limit); the previous PDF "
                             "is unchanged")
        if code != 0 or not (work / f"{JOB}.pdf").is_file():
            log = _keep_log(work / f"{JOB}.log", log_copy)
            text = log.read_bytes() if log is not None else output
            raise first_error(tex, name, text.decode("utf-8", errors="replace"), log)
        write_atomic(pdf, (work / f"{JOB}.pdf").read_bytes())
        too_wide = overfull_lines(tex, pdf.name, log_file.read_text("utf-8", errors="replace")
                                  if log_file.is_file() else "")
    log_copy.unlink(missing_ok=True)
    return too_wide


def overfull_lines(tex: str, name: str, log: str) -> list[str]:
    """A warning for each line TeX set wider than the text (text running past the
    margin, or off the paper), located in the generated and template lines."""
    found = []
    for match in _OVERFULL.finditer(log):
        width, line = float(match.group(1)), int(match.group(2))
        if width > OVERFULL_TOLERANCE_PT:
            origin = template_origin(tex, line)
            found.append(f"{name}: a line is {spelled(figures(width, 3))} pt wider than the text "
                         f"(generated line {line}" + (f", from {origin})" if origin else ")"))
    return found


def run_tex(work: Path, env: dict[str, str], timeout: float,
            command: list[str] | None = None) -> tuple[int | None, bytes]:
    """Run latexmk (or `command`) in `work`; (exit code or None on time-out, its output).

    TeX runs in a process group of its own, killed as a whole on a time-out, an
    interrupt or a SIGTERM turned into SystemExit by the CLI, so no pdflatex outlives
    the command.
    """
    try:
        process = subprocess.Popen(command or latexmk_command(), cwd=work, env=env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    except FileNotFoundError:
        raise SettingError("latexmk", "not found: install TeX Live (make build does)") \
            from None
    try:
        output, _ = process.communicate(timeout=timeout)
        return process.returncode, output
    except subprocess.TimeoutExpired:
        _kill(process)
        return None, b""
    except BaseException:
        _kill(process)
        raise


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def _keep_log(source: Path, target: Path) -> Path | None:
    """Keep TeX's log beside the PDF (atomically: a symlink there is replaced, not followed)."""
    if not source.is_file():
        return None
    write_atomic(target, source.read_bytes())
    return target


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
