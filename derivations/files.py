"""Reading inputs and writing outputs safely: bounded reads, atomic writes, no surprises.

Inputs: only regular files are read (a FIFO would hang, `/dev/zero` never ends), up to
a documented size, and a UTF-8 byte-order mark (Excel's "CSV UTF-8") is accepted.
Outputs: written to a temporary file beside the target and renamed into place, with
the permissions a plain `open(..., "w")` would give (the umask), never through a
symlink, never over something that is not a regular file, never over an input.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, Any

from derivations.errors import FileError

#: Largest input read, in bytes: sheets and write-ups are a few kB, a class CSV of
#: 200,000 rows is about 10 MB.
MAX_INPUT_BYTES = 64 * 2**20





def read_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is refused."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise FileError(path, "not a regular file (a folder, device or pipe cannot be "
                            "read as a sheet or answers)")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FileError(path, f"cannot read: {exc.strerror}") from None
    if len(data) > limit:
        raise FileError(path, f"larger than {limit // 2**20} MiB; refusing to read it")
    return data


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes (a BOM is dropped)."""
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileError(f"{path}:{line}", f"not UTF-8 text ({exc.reason} at byte "
                        f"{exc.start})") from None


def check_output(path: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse to write `path` if it is an input, a symlink or not a regular file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileError(path, f"cannot write: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise FileError(path, "is a symbolic link; refusing to write through it")
    if not stat.S_ISREG(info.st_mode):
        raise FileError(path, "exists and is not a regular file; refusing to replace it")
    for source in inputs:
        try:
            if os.path.samefile(source, path):
                raise FileError(path, "is also an input of this command; refusing to "
                                "overwrite it")
        except OSError:
            continue


def check_outputs(paths: Iterable[Path | None], inputs: Iterable[Path] = ()) -> None:
    """Check every output of a command before the first is written: none may be an
    input, a symlink or a device (`check_output`), and no two may be the same file
    (`-o q.zip --text q.zip` would write one over the other and report success)."""
    chosen = [Path(p) for p in paths if p is not None and str(p) != "-"]
    inputs = list(inputs)
    seen: dict[str, Path] = {}
    for path in chosen:
        check_output(path, inputs)
        key = os.path.normcase(os.path.realpath(path))
        if key in seen:
            raise FileError(path, f"is named twice as an output (also as {seen[key]}); "
                            "give each output its own file")
        seen[key] = path


def make_folder(path: Path) -> None:
    """Create an output folder (and its parents), or say why it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileError(path, f"cannot create the output folder: {exc.strerror}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: Path, inputs: Iterable[Path] = (), text: bool = False) -> Iterator[IO]:
    """A handle on a temporary file beside `path`, renamed onto it when the block ends
    without an error (and removed when it does not).

    Why: a rename within one folder is atomic, so readers see the old file or the
    new one, never half of one, even if the process dies mid-write. The file gets
    mode 0666 less the umask, as `open(path, "w")` would give it (mkstemp's 0600
    would otherwise survive the rename).
    """
    check_output(path, inputs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise FileError(path, f"cannot write: {exc.strerror}") from None
    try:
        with (os.fdopen(fd, "w", encoding="utf-8", newline="") if text
              else os.fdopen(fd, "wb")) as handle:
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            yield handle
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FileError(path, f"cannot write: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes, inputs: Iterable[Path] = ()) -> None:
    """Write `data` to `path` atomically (see `atomic_file`)."""
    with atomic_file(path, inputs) as handle:
        handle.write(data)


@contextmanager
def open_output(path: Path | None, inputs: Iterable[Path] = ()) -> Iterator[IO]:
    """A text stream to write an output of any size to: standard output (no path, or
    `-`), or a file written atomically (see `atomic_file`)."""
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with atomic_file(path, inputs, text=True) as handle:
        yield handle


def templates_problem(folder: str) -> str:
    """Why a sheet may not name this templates folder ('' when it may).

    Templates are code (Jinja runs them), and a sheet is data a colleague or a student
    may send: a sheet names templates only inside its own folder, never by an absolute
    path, a drive letter or `..` (a symbolic link leading out is refused when the
    folder is opened, `render.build.checked_folder`). An instructor's own folder is
    given on the command line (`--templates DIR`)."""
    if not folder:
        return ""
    pure = PureWindowsPath(folder)
    if PurePosixPath(folder).is_absolute() or pure.is_absolute() or pure.drive or \
            folder.startswith(("\\", "/")):
        return (f"templates folder {folder!r} is an absolute path; a sheet names templates "
                "only inside its own folder (use --templates DIR for a folder elsewhere)")
    if ".." in PurePosixPath(folder.replace("\\", "/")).parts:
        return (f"templates folder {folder!r} leads out of the sheet's folder with '..'; a "
                "sheet names templates only inside its own folder (use --templates DIR)")
    return ""


def csv_reader(text: str) -> Any:
    """A strict CSV reader whose cells may be as long as a whole input file.

    Why: Python's csv module refuses a cell over 131,072 characters, and a class file
    or an LMS report holds cells nobody here controls (an essay in an untagged quiz
    slot, a 20 MB response). One such cell must make that answer unparsed, not the
    whole class unreadable, so the limit is the input cap (`MAX_INPUT_BYTES`)."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_INPUT_BYTES))
    return csv.reader(io.StringIO(text), strict=True)
