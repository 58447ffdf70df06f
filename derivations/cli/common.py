"""What the commands share: file arguments and writing a command's text output."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import click

#: An existing file to read (a sheet, answers, a pool) and a file to write.
INPUT = click.Path(exists=True, dir_okay=False, path_type=Path)
OUTPUT = click.Path(dir_okay=False, path_type=Path)


def emit(text: str, output: Path | None, inputs: tuple[Path, ...] = ()) -> None:
    """Print (no -o, or `-o -`), or write a file atomically so a failed run never
    leaves half a file; never over one of the command's `inputs`."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from derivations.files import write_atomic

    write_atomic(output, text.encode("utf-8"), inputs)


class Advance(Protocol):
    """Moves a progress display on by `steps` (one by default)."""

    def __call__(self, steps: int = 1) -> None: ...


@contextmanager
def progress(label: str, length: int, quiet: bool) -> Iterator[Advance]:
    """A bar on a terminal; elsewhere (a log, CI, `make`) one line per tenth of the work
    with the time taken, since click's bar prints only its label when stderr is not a
    terminal and a long stage (typesetting 40 variants) then ran for 20 s in silence.
    Yields `advance(steps)`."""
    if quiet:
        def silent(steps: int = 1) -> None:
            return None

        yield silent
        return
    if sys.stderr.isatty():
        with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
            def update(steps: int = 1) -> None:
                bar.update(steps)

            yield update
        return
    start, done, shown = time.monotonic(), 0, 0

    def advance(steps: int = 1) -> None:
        nonlocal done, shown
        done += steps
        if done * 10 // max(length, 1) > shown or done >= length:
            shown = done * 10 // max(length, 1)
            from derivations.numbers import fixed  # the one speller of numbers

            click.echo(f"{label}: {min(done, length)}/{length} "
                       f"({fixed(time.monotonic() - start, 0)} s)", err=True)

    yield advance
