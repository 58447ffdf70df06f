"""`python -m derivations` is `derive`."""

from derivations.cli import main

main()
