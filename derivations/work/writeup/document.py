"""Reading a write-up: sections per problem, and the runs of math in each.

Three formats, told by the file name and content:
  Markdown (`.md`, or any file with `$`): math between `$...$`, `$$...$$`, `\\[...\\]`,
    `\\(...\\)`; headings `#`.
  LaTeX (`.tex`): the same math delimiters plus `equation`, `align`, `gather`,
    `multline` environments; headings `\\section{..}` and friends; `%` comments.
  Plain text: any line holding `=`, `≈` or `→` is read as math from where the math
    starts (`So C ≈ 6 × 67 × 10^9 = 4.0e20 FLOPs`).

A *run* is what one claim is read from: a formula, glued to the words right after it
when those are units or scale words (`$$\\approx 4.59$$` then `trillion tokens` on the
next line), and to the next formula when that one starts with a relation
(`$$... = x$$` then `$$\\approx 6.48$$`). Text between formulas that holds a relation
(`N = 67 billion parameters`, `E = 1.69; A = 406.4`) is read like plain text.

Headings (`E2`, `Exercise Assignment: E2`, `Problem 3`, `Q5`, `\\section{Task 2}`) map
sections to the sheet's problems: a problem id written as a word wins; otherwise a
number after Problem/Exercise/Question/Task/Q is the problem with that number in its
id, else the n-th problem. A heading naming no problem ends the previous section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from derivations.files import FileError, read_bytes
from derivations.read.lexicon import unit_word
from derivations.read.units import read_unit
from derivations.work.writeup.delimiters import blank_code_blocks, math_spans

MAX_BYTES = 2 * 2**20   # a write-up is a few pages; 2 MiB is far beyond any real one
MAX_RUNS = 5000
MAX_LINES = 100_000  # a long write-up has a few thousand
MAX_SPANS = 4 * MAX_RUNS  # `$x$` mentions included: a write-up has hundreds, not 500,000

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")  # closing #s are cut by hand
_TEX_HEADING = re.compile(r"\\(?:sub)*section\*?\{|\\(?:paragraph|chapter|part)\*?\{")
_KEYWORD = re.compile(r"\b(?:problem|exercise|question|task|part|q|aufgabe|ex)\.?\s*"
                      r"(\d+)\b", re.IGNORECASE)
_SECTIONISH = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:[A-Z][a-z]+\s+)?"
                         r"(?:Exercise|Problem|Question|Task|Assignment|Part|Q)\b",
                         re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:\*\*)?(\d{1,2})[.)](?:\*\*)?\s+([A-Za-z].{8,})")
_CHOICE = re.compile(r"(☒|☑|✅|✔|\[[xX]\]|■)\s*\**(True|False|Yes|No|Correct|Incorrect)\b",
                     re.IGNORECASE)
_LABELLED = re.compile(r"^\s*(?:[-*+•]\s+)?\**([A-Za-z]{1,3}\d{1,2}[a-z]?)\**\s*[:.)]"
                       r"\s*\**\s*(.*)$")
#: `... is false. **Answer:** False`: an answer marked in bold after a sentence.
_MARKED_ANSWER = re.compile(r"(?:^|[.!?:]\s+)\*\*\s*(?:final\s+)?answer\s*[:=]\s*\*\*\s*(.+)$",
                            re.IGNORECASE)
_ANSWER = re.compile(r"^\W*(?:final\s+)?answer\s*(?:\([^)]*\))?\s*[:=]\**\s*(.+)$",
                     re.IGNORECASE)
#: `\eqref{1}`, `\ref{eq:loss}`, `(2a)`. The label is bounded: with `[^}]*` every
#: `\eqref{` of a line that never closes one scanned to the line's end (quadratic:
#: 119 s for 320,000 characters of `\eqref{`; hours at the 2 MiB cap).
_TAG_REFERENCE = re.compile(r"\\eqref\{([^{}\n]{0,100})\}|\\ref\{([^{}\n]{0,100})\}|"
                            r"\((\d{1,3}[a-z]?)\)")
_RELATION = re.compile(r"=|≈|≃|→|⇒|⟹|\\approx|\\to\b|\\rightarrow|\\Rightarrow|->")
_REFUSED = re.compile(r"\\(?:input|include|def|edef|gdef|newcommand|renewcommand|let|"
                      r"write|immediate|openout|openin|read|catcode|write18)\b")
_COMMENT = re.compile(r"(?<!\\)%.*")


@dataclass(frozen=True)
class Run:
    """Math to read as one claim, from `line` on (source keeps the line breaks)."""

    line: int
    source: str
    problem: str | None
    uses: tuple[str, ...] = ()   # equation tags the prose just before refers to
    plain: bool = False          # read from prose: a failure is not reported as unread


@dataclass
class Writeup:
    file: str
    lines: list[str]
    runs: list[Run] = field(default_factory=list)
    sections: list[tuple[int, str | None, str]] = field(default_factory=list)
    kind: str = "markdown"
    choices: list[tuple[int, str | None, bool]] = field(default_factory=list)  # ticked boxes
    stated: list[tuple[int, str | None, str]] = field(default_factory=list)  # `Answer: ...`
    #: line -> where it came from, when that is not the line itself (a notebook's
    #: "cell 7, line 2"); every output names a line by `where`
    places: dict[int, str] = field(default_factory=dict)
    #: what a reader of the source left unread, with why: (line, text, reason)
    unread: list[tuple[int, str, str]] = field(default_factory=list)

    def where(self, line: int | None) -> str:
        if line is None:
            return ""
        return self.places.get(line, f"line {line}")

    def problem_at(self, line: int) -> str | None:
        """The problem whose section holds `line`."""
        found = None
        for start, problem, _ in self.sections:
            if start <= line:
                found = problem
        return found


def read_writeup(path: Path, problem_ids: list[str]) -> Writeup:
    """Read and cut a write-up; FileError (exit 2) when it is not a text file."""
    return writeup_of(read_bytes(path, MAX_BYTES), path, problem_ids)


def writeup_of(data: bytes, path: Path, problem_ids: list[str]) -> Writeup:
    """A write-up from its bytes (a file, or a member of a submissions zip) and name."""
    if len(data) > MAX_BYTES:
        raise FileError(path, f"{len(data)} bytes (at most {MAX_BYTES}); not a write-up")
    if b"\x00" in data[:65536]:
        raise FileError(path, "a binary file, not a write-up (Markdown, LaTeX or text)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileError(f"{path}:{line}", "not UTF-8 text") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise FileError(path, f"{lines} lines (at most {MAX_LINES}); not a single write-up")
    kind = "latex" if path.suffix.lower() in (".tex", ".latex") else \
        "markdown" if "$" in text or "\\[" in text or "\\begin{" in text else "plain"
    return cut(text, str(path), problem_ids, kind)


def cut(text: str, file: str, problem_ids: list[str], kind: str) -> Writeup:
    lines = text.split("\n")
    if kind == "latex":
        text = "\n".join(_COMMENT.sub("", line) for line in lines)
    else:  # code blocks are code, not math: blanked, keeping the line numbers
        text = blank_code_blocks(text)
    writeup = Writeup(file, lines, kind=kind)
    _Cutter(writeup, text, problem_ids).run()
    if len(writeup.runs) > MAX_RUNS:
        raise FileError(file, f"more than {MAX_RUNS} formulas; not a single write-up")
    return writeup


class _Cutter:
    def __init__(self, writeup: Writeup, text: str, problem_ids: list[str]) -> None:
        self.w, self.text, self.ids = writeup, text, problem_ids
        self.problem: str | None = None
        self.parts: list[tuple[int, str]] = []  # (line, text) of the open run
        self.uses: list[str] = []
        self.pending_uses: list[str] = []
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.last_number = 0
        # `1) How many ...?` starts problem 1 only in a write-up whose headings name no
        # problem: otherwise a numbered list inside a problem would end it.
        self.numbered = not any(
            problem_for(heading, self.ids) for line in writeup.lines
            for heading in (markdown_heading(line), tex_heading(line)) if heading is not None)

    def line_of(self, offset: int) -> int:
        low, high = 0, len(self.starts) - 1
        while low < high:
            mid = (low + high + 1) // 2
            if self.starts[mid] <= offset:
                low = mid
            else:
                high = mid - 1
        return low + 1

    def run(self) -> None:
        at = 0
        spans = [] if self.w.kind == "plain" else math_spans(self.text)
        if len(spans) > MAX_SPANS:
            raise FileError(self.w.file, f"{len(spans)} pieces of math (at most {MAX_SPANS}); "
                            "not a single write-up")
        for span in spans:
            self.prose(at, span.start)
            self.math(span.body_start, span.body)
            at = span.end
        self.prose(at, len(self.text))
        self.close()

    # -- prose -----------------------------------------------------------------
    def prose(self, start: int, end: int) -> None:
        offset = start
        for k, piece in enumerate(self.text[start:end].split("\n")):
            if k:
                self.line_break()
            line_start = k > 0 or start == 0 or self.text[start - 1] == "\n"
            self.prose_piece(self.line_of(offset), piece, line_start)
            offset += len(piece) + 1

    def line_break(self) -> None:
        if self.parts:
            self.parts.append((0, "\n"))

    def prose_piece(self, line: int, piece: str, line_start: bool = True) -> None:
        stripped = piece.strip()
        if not stripped:
            return
        if self.heading(line, piece):
            return
        if line_start and (labelled := _LABELLED.match(piece)) and \
                problem_for(labelled.group(1), self.ids):
            self.close()  # `E3: N' = 1.41 N ...`, `- Q7: Answer: True`
            self.problem = problem_for(labelled.group(1), self.ids)
            self.w.sections.append((line, self.problem, labelled.group(1)))
            piece = labelled.group(2)
            stripped = piece.strip()
            if not stripped:
                return
        if line_start:  # a list bullet is not a minus sign continuing the math
            stripped = re.sub(r"^(?:[-*+•]|\d{1,2}[.)])\s+", "", stripped)
        glued = _unit_words(stripped) if self.parts else 0
        if glued:
            self.parts.append((line, " " + _as_math(stripped[:glued]) + " "))
            stripped = stripped[glued:].strip()
            if not stripped or not re.search(r"\w", stripped):
                return
            piece = stripped
        self.close()
        if self.w.kind == "latex" and _REFUSED.search(stripped):
            self.w.runs.append(Run(line, stripped, self.problem))  # reported as unread
            return
        stated = _ANSWER.match(piece) or _MARKED_ANSWER.search(piece)
        if stated:
            self.w.stated.append((line, self.problem, stated.group(1).strip(" .*_$")))
        for match in _CHOICE.finditer(piece):
            ticked = match.group(2).lower() in ("true", "yes", "correct")
            self.w.choices.append((line, self.problem, ticked))
        for match in _TAG_REFERENCE.finditer(piece):
            self.pending_uses.append(next(g for g in match.groups() if g))
        if _RELATION.search(stripped) and "$" not in stripped:
            self.plain(line, stripped)

    def plain(self, line: int, text: str) -> None:
        """A relation written in prose: the math starts after a colon or the words."""
        self.w.runs.append(Run(line, text, self.problem, plain=True))

    def heading(self, line: int, piece: str) -> bool:
        text = piece.strip()
        found = markdown_heading(piece) if self.w.kind != "latex" else None
        if found is None and (tex := tex_heading(piece)):
            found = tex
        if found is None and len(text) <= 60 and not _RELATION.search(text) and (
                _SECTIONISH.match(text) or text.rstrip(":.") in self.ids):
            found = text
        numbered = _NUMBERED.match(text) if self.numbered and found is None else None
        if numbered and int(numbered.group(1)) in (1, self.last_number + 1):
            self.last_number = int(numbered.group(1))
            found = f"Problem {self.last_number}: {numbered.group(2)[:60]}"
        if found is None:
            return False
        self.close()
        self.pending_uses = []
        self.problem = problem_for(found, self.ids)
        self.w.sections.append((line, self.problem, found.strip()))
        return True

    # -- math ------------------------------------------------------------------
    def math(self, offset: int, body: str) -> None:
        line = self.line_of(offset)
        starts_with_relation = bool(re.match(r"\s*(?:=|≈|\\approx|\\simeq|&\s*=|\\to\b|"
                                             r"\\rightarrow|\\Rightarrow|\\times|\\cdot)",
                                             body))
        if self.parts and not starts_with_relation and not self.open_ended():
            self.close()
        if not self.parts:
            self.uses, self.pending_uses = self.pending_uses, []
        self.parts.append((line, body))

    def open_ended(self) -> bool:
        """Does the open run end in a value with no relation yet (`$$175 \\times 10^9$$`)?"""
        source = "".join(text for _, text in self.parts)
        return not _RELATION.search(source) and bool(re.search(r"\d", source))

    def close(self) -> None:
        if not self.parts:
            return
        line = next(n for n, _ in self.parts if n)
        source = "".join(text for _, text in self.parts)
        self.parts = []
        operands = re.sub(r"\\[A-Za-z]+", "", source)
        if (_RELATION.search(source) and re.search(r"[0-9A-Za-z]", operands)) or \
                _REFUSED.search(source):
            self.w.runs.append(Run(line, source, self.problem, tuple(self.uses)))
        self.uses = []


def markdown_heading(line: str) -> str | None:
    """The text of a Markdown `#` heading line, closing #s cut."""
    found = _MD_HEADING.match(line)
    return _closed(found.group(2)) if found else None


def tex_heading(line: str) -> str | None:
    """The title of `\\section{...}` (subsection, paragraph, chapter, part) up to the
    line's last `}`. Found by one search and one `rfind`: a pattern `\\{(.*)\\}` would
    rescan the rest of the line for every unclosed `\\section{` (quadratic)."""
    found = _TEX_HEADING.search(line)
    if found is None:
        return None
    close = line.rfind("}")
    return line[found.end():close] or None if close >= found.end() else None


def _closed(heading: str) -> str:
    """A Markdown heading without its optional closing #s (`## E2 ##`)."""
    return heading.rstrip().rstrip("#").rstrip()


def _unit_words(text: str) -> int:
    """How much of the words after a formula continues its math: units, scale words,
    numbers, operators and parentheses (`trillion tokens`, `GB again` -> `GB`,
    `bytes (`); 0 when the words start with prose or bare punctuation."""
    end, content = 0, False
    for match in re.finditer(r"\S+", text):
        word = match.group(0).strip("()[],.;:")
        if not word:
            end = match.end()
            continue
        if re.fullmatch(r"[\d.,]+|[×*·/+−-]|[Bsh]", word) or read_unit(word) or all(
                unit_word(part) for part in word.split("/") if part):
            content, end = True, match.end()
            continue
        break
    return end if content else 0


def _as_math(text: str) -> str:
    return re.sub(r"[A-Za-z][A-Za-z/]*", lambda m: rf"\text{{{m.group(0)}}}", text)


def problem_for(heading: str, ids: list[str]) -> str | None:
    """The sheet problem a heading names, or None (see the module docstring)."""
    words = re.findall(r"[A-Za-z0-9_.-]+", heading)
    lowered = {w.lower().rstrip(".") for w in words}
    for problem_id in reversed(ids):
        if problem_id.lower() in lowered:
            return problem_id
    match = _KEYWORD.search(heading)
    if not match:
        return None
    number = match.group(1)
    ending = [p for p in ids if re.search(rf"(?<!\d){number}$", p)]
    if len(ending) == 1:
        return ending[0]
    index = int(number) - 1
    return ids[index] if 0 <= index < len(ids) else None
