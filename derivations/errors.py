"""One exception hierarchy for everything a user can get wrong.

Errors carry data (where, what, suggestions) rather than pre-baked strings, so the
CLI can print one located line and tests can assert on the fields. Only
`derivations.cli` turns them into messages on stderr and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches


class DerivationsError(Exception):
    """Base class: anything the user can fix by changing their input."""

    def __str__(self) -> str:  # pragma: no cover - subclasses override
        return self.args[0] if self.args else type(self).__name__


class ArgumentError(DerivationsError, TypeError):
    """A Python API call given something that is not a sheet: names the argument and
    what it accepts. A TypeError too, as Python's own argument checks raise."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(argument, message)
        self.argument, self.message = argument, message

    def __str__(self) -> str:
        return f"{self.argument}: {self.message}"


@dataclass
class ExpressionError(DerivationsError):
    """An expression string that the safe parser refuses.

    Attributes:
        text: the expression as written.
        offset: 0-based column of the culprit within `text`, when known.
        reason: what is wrong, in words.
    """

    text: str
    reason: str
    offset: int | None = None

    def __str__(self) -> str:
        where = f" at column {self.offset + 1}" if self.offset is not None else ""
        shown = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return f"{self.reason}{where} in expression {shown!r}"


@dataclass
class SpecError(DerivationsError):
    """A problem sheet that does not follow the TOML sheet format.

    Attributes:
        file: path of the sheet as given on the command line.
        key: dotted key path of the culprit (`problems.E2.asks.D_new.formula`).
        message: what was expected.
        line: 1-based line in the file, when it can be located.
    """

    file: str
    key: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        key = f" [{self.key}]" if self.key else ""
        return f"{where}:{key} {self.message}"


@dataclass
class UnknownName(DerivationsError):
    """A formula id, symbol or given that does not exist; offers the closest names."""

    kind: str
    name: str
    suggestions: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        hint = ""
        if self.suggestions:
            hint = " (did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?)"
        return f"unknown {self.kind} {self.name!r}{hint}"


@dataclass
class DomainError(DerivationsError):
    """A question with no meaningful answer, e.g. a target loss at or below E."""

    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class CycleError(DerivationsError):
    """Expressions that depend on each other in a loop."""

    names: list[str]

    def __str__(self) -> str:
        return "circular definition: " + " -> ".join(self.names)


@dataclass
class RearrangeError(DerivationsError):
    """The CAS cannot isolate the requested unknown in a formula."""

    formula: str
    unknown: str

    def __str__(self) -> str:
        return (
            f"cannot rearrange {self.formula!r} for {self.unknown!r}: "
            "sympy found no closed form; ask for another unknown or write an inline equation"
        )


def located(error: DerivationsError, file: str, key: str, line: int | None) -> SpecError:
    """Wrap any error raised while handling one key of a sheet with its location."""
    if isinstance(error, SpecError):
        return error
    return SpecError(file=file, key=key, message=str(error), line=line)


def suggest(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Close names for a typo: difflib's matches, then same-letter and prefix matches.

    Why more than difflib: short names (`Lx` for `L`, `P2` for `P1`) score below
    difflib's default cutoff but are exactly the typos people make.
    """
    pool = list(dict.fromkeys(choices))
    found = [choice for choice in pool if choice.lower() == name.lower()]
    found += get_close_matches(name, pool, n=n, cutoff=0.6)
    lowered = name.lower()
    for choice in pool:
        low = choice.lower()
        if low == lowered or (len(lowered) > 1 and (low.startswith(lowered[:-1])
                                                     or lowered.startswith(low))):
            found.append(choice)
    if not found:
        found = get_close_matches(name, pool, n=n, cutoff=0.4)
    return list(dict.fromkeys(found))[:n]
