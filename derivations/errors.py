"""One exception hierarchy for everything a user can get wrong.

Errors carry data (where, what, suggestions) rather than pre-baked strings, so the
CLI can print one located line and tests can assert on the fields. Only
`derivations.cli` turns them into messages on stderr and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any


class DerivationsError(Exception):
    """Base class: anything the user can fix by changing their input.

    Every subclass is a dataclass of what went wrong and where; only the CLI turns
    one into a line of text. An error crosses a process boundary (a build worker)
    as itself: pickled by its fields, whatever its constructor looks like."""

    def __str__(self) -> str:  # pragma: no cover - subclasses override
        return self.args[0] if self.args else type(self).__name__

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (type(self), dict(self.__dict__))


def _rebuilt(kind: type[DerivationsError], fields: dict[str, Any]) -> DerivationsError:
    error = kind.__new__(kind)
    error.__dict__.update(fields)
    return error


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
    cause: DerivationsError | None = None  # the error met at this key, kept as data

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        key = f" [{self.key}]" if self.key else ""
        return f"{where}:{key} {self.message or self.cause}"


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
    """Any error raised while handling one key of a sheet, with its location (the
    error itself is kept as the `cause`)."""
    if isinstance(error, SpecError):
        return error
    return SpecError(file=file, key=key, message="", line=line, cause=error)


@dataclass(init=False)
class FileError(DerivationsError):
    """A file that cannot be read or written as asked; says which and why."""

    path: str  # the path as given, or `file:line`
    message: str

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(str(path), message)
        self.path, self.message = str(path), message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class LimitError(DerivationsError):
    """A value or a computation beyond the engine's bounds; says which bound."""

    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class MathError(DerivationsError):
    """Text between `$` in a sheet's prose that is not in the accepted subset."""

    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class TemplateError(DerivationsError):
    """A template that does not parse or render, with its name and line."""

    template: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.template}:{self.line}" if self.line else self.template
        return f"template error in {where}: {self.message}"


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


@dataclass
class BuildError(DerivationsError):
    """Documents of a build failed (the others were built); each failure as it was
    raised, for the CLI to show the first and count the rest."""

    failures: Sequence[DerivationsError]

    def __str__(self) -> str:
        more = len(self.failures) - 1
        return str(self.failures[0]) + (f" (and {more} more failures)" if more else "")


@dataclass
class SettingError(DerivationsError):
    """An environment setting (`DERIVE_TEX_TIMEOUT`, `SOURCE_DATE_EPOCH`) that is not
    what it must be, or a tool the command needs that is missing (`latexmk`)."""

    name: str
    message: str

    def __str__(self) -> str:
        return f"{self.name} {self.message}"


@dataclass
class VariantsError(DerivationsError):
    """The pool cannot be filled, or a stored variant no longer matches the engine."""

    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class ConfigError(DerivationsError):
    """A model config.json that cannot be read as a model of a supported family."""

    message: str

    def __str__(self) -> str:
        return self.message


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
