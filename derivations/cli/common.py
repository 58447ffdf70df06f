"""What the commands share: file arguments and writing a command's text output."""

from __future__ import annotations

import sys
from pathlib import Path

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
