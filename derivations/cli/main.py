"""The `derive` group: every command, and errors turned into one line and an exit code."""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

import click

from derivations import __version__
from derivations.cli.analyse import analyse
from derivations.cli.check import check
from derivations.cli.export import export
from derivations.cli.model_sheet import sheet
from derivations.cli.sheets import build, cheatsheet, formulas, solve
from derivations.cli.testing import test
from derivations.cli.variants import variants
from derivations.cli.work import check_work
from derivations.errors import DerivationsError

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class DeriveGroup(click.Group):
    """A click group that reports our errors as one line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        _exit_cleanly_on_sigterm()
        try:
            return super().invoke(ctx)
        except DerivationsError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except RecursionError:
            click.echo("error: the input is nested too deeply", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except BrokenPipeError:
            # the reader went away (`derive ... | head`): stop quietly, as Unix tools do
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(128 + signal.SIGPIPE)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug in derivations, not in the user's input
            if os.environ.get("DERIVE_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (a bug in derivations; "
                       "set DERIVE_DEBUG=1 for the traceback and please report it)", err=True)
            ctx.exit(EXIT_INTERNAL)


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C: scratch folders are removed, TeX is killed,
    temporary output files are deleted (exit code 143, as after a plain SIGTERM)."""
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


@click.group(cls=DeriveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="derive")
def main() -> None:
    """Worked, checked solutions for the arithmetic of training LLMs.

    A problem sheet is a TOML file of givens (N, D, Chinchilla constants, d_model,
    dtypes, batch sizes...) and asks (training FLOPs, loss, tokens for a target loss,
    memory, LoRA sizes, steps per epoch...). Every answer is derived symbolically
    with sympy: the formula, the formula rearranged for the unknown, the numbers
    substituted, the exact result rounded only for display.

    \b
    Examples:
      derive solve problems/genai_week4.toml
      derive solve problems/genai_week4.toml --problem E2 --format json
      derive formulas --topic memory
      derive build                      (every problems/*.toml + cheat sheet -> build/)
      derive cheatsheet --topic memory -o build/memory.pdf
      derive check problems/genai_week4.toml answers.csv --format json
      derive test problems/*.toml       (question tests: every ask, every variant)
      derive analyse problems/genai_week4.toml results.json --variants POOL
      derive sheet from-config config.json --gpus 64 --tp 8 -o model.toml
    """


for command in (solve, formulas, build, cheatsheet, check, test, analyse, variants, export,
                check_work, sheet):
    main.add_command(command)
