"""Where the math and the code blocks of a write-up are, found in one pass.

Why not one regular expression with lazy bodies (`\\$\\$(.*?)\\$\\$`): for every opener
left unclosed it scans to the end of the file again, so 40,000 lines of
`\\begin{equation}` took two minutes. Here every opener and every closer is found
once (`finditer` over tokens, which cannot backtrack past a token), and each opener is
paired with the next closer of its kind by bisection: O(n log n) for any input. An
opener without a closer is text, as before.

Math delimiters, in order of preference at one place: `$$...$$`, `\\[...\\]`,
`\\begin{equation|align|gather|multline|eqnarray|displaymath|math|flalign}` (starred too)
to the matching `\\end{...}`, `\\(...\\)`, and `$...$` within one line (not empty, not
touching another `$`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

ENVIRONMENTS = ("equation", "align", "gather", "multline", "eqnarray", "displaymath", "math",
                "flalign")
_OPENER = re.compile(r"\$\$|\\\[|\\\(|\\begin\{(" + "|".join(ENVIRONMENTS) +
                     r")(\*?)\}|(?<![\\$])\$(?!\$)")
_CLOSER = re.compile(r"\$\$|\\\]|\\\)|\\end\{(" + "|".join(ENVIRONMENTS) + r")(\*?)\}")
_DOLLAR = re.compile(r"\$")
_NEWLINE = re.compile(r"\n")
_FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)


@dataclass(frozen=True)
class Span:
    """One run of math: the whole match (`start`..`end`) and its body."""

    start: int
    end: int
    body_start: int
    body: str


def math_spans(text: str) -> list[Span]:
    """Every run of math in `text`, left to right, without overlaps."""
    closers: dict[str, list[int]] = defaultdict(list)
    for match in _CLOSER.finditer(text):
        token = match.group(0) if match.group(1) is None else \
            f"end:{match.group(1)}{match.group(2)}"
        closers[token].append(match.start())
    dollars = [match.start() for match in _DOLLAR.finditer(text)]
    line_ends = [match.start() for match in _NEWLINE.finditer(text)] + [len(text)]
    spans: list[Span] = []
    cursor = 0
    for match in _OPENER.finditer(text):
        if match.start() < cursor:
            continue
        token = match.group(0)
        if match.group(1) is not None:
            closing = f"end:{match.group(1)}{match.group(2)}"
            length = len(f"\\end{{{match.group(1)}{match.group(2)}}}")
        elif token == "$":
            span = _inline(text, match.start(), match.end(), dollars, line_ends)
            if span is not None:
                spans.append(span)
                cursor = span.end
            continue
        else:
            closing = {"$$": "$$", "\\[": "\\]", "\\(": "\\)"}[token]
            length = len(closing)
        found = closers[closing]
        index = bisect_left(found, match.end())
        if index == len(found):
            continue  # unclosed: the opener is text
        close = found[index]
        spans.append(Span(match.start(), close + length, match.end(),
                          text[match.end():close]))
        cursor = close + length
    return spans


def _inline(text: str, start: int, body: int, dollars: list[int],
            line_ends: list[int]) -> Span | None:
    """`$...$` on one line: the first `$` after at least one character, not doubled.
    The next `$` and the line's end are looked up in sorted positions, never scanned
    for, so a 2 MiB line of `a$a$...` costs no more than one pass."""
    line_end = line_ends[bisect_left(line_ends, body)]
    index = bisect_left(dollars, body)
    close = dollars[index] if index < len(dollars) and dollars[index] < line_end else -1
    if close <= body or text[close + 1:close + 2] == "$":
        return None
    return Span(start, close + 1, body, text[body:close])


def blank_code_blocks(text: str) -> str:
    """Fenced code blocks (```, ~~~) blanked, keeping their line breaks: code is code,
    not math. An opening fence with no closing one is text."""
    starts: dict[str, list[int]] = {"```": [], "~~~": []}
    for match in _FENCE.finditer(text):
        starts[match.group(1)].append(match.start())
    pieces: list[str] = []
    cursor = 0
    fences = sorted((position, marker) for marker, positions in starts.items()
                    for position in positions)
    for position, marker in fences:
        if position < cursor:
            continue
        later = starts[marker]
        index = bisect_left(later, position + 1)
        if index == len(later):
            continue
        end = text.find("\n", later[index])
        end = len(text) if end < 0 else end
        pieces.append(text[cursor:position])
        pieces.append("\n" * text.count("\n", position, end))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
