"""The `derive` command line: parse options, call the pipeline, print.

One module per group of commands; this package is the only code that turns errors
into messages and exit codes (`main.DeriveGroup`): 0 success, 1 a check found wrong
answers or false lines, 2 bad input or usage, 3 a bug. Only click is imported at
start-up; the pipeline and sympy inside the commands, so `derive --help` stays fast.
"""

from derivations.cli.main import main

__all__ = ["main"]
