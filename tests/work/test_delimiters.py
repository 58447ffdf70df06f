"""Finding runs of math in a write-up (`work.writeup.delimiters`): positions by hand."""

from __future__ import annotations

from derivations.work.writeup.delimiters import blank_code_blocks, math_spans


def test_every_kind_of_opener_is_paired_with_its_closer():
    text = r"a $x = 1$ b $$y$$ c \[z\] d \(w\) e \begin{align}v\end{align}"
    assert [s.body for s in math_spans(text)] == ["x = 1", "y", "z", "w", "v"]
    first = math_spans(text)[0]
    assert (first.start, first.end, text[first.body_start]) == (2, 9, "x")


def test_an_unclosed_opener_is_text_and_a_dollar_does_not_cross_a_line():
    (only,) = math_spans(r"\[ never closed $a$")
    assert (only.start, only.end, only.body) == (16, 19, "a")
    assert [s.body for s in math_spans("costs $5\nand $6$")] == ["6"]


def test_code_blocks_are_blanked_keeping_line_numbers():
    text = "x\n```\n$a = 1$\n```\n$b = 2$\n"
    blanked = blank_code_blocks(text)
    assert blanked.count("\n") == text.count("\n")
    assert [s.body for s in math_spans(blanked)] == ["b = 2"]
