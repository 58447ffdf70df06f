"""Text made literal for an LMS's math filters (`lms.literal`)."""

from __future__ import annotations

import pytest

from derivations.lms.literal import JOINER, literal


@pytest.mark.parametrize("text,expected", [
    ("$$x$$", f"${JOINER}$x${JOINER}$"),
    ("\\(a\\)", f"\\{JOINER}(a\\{JOINER})"),
    ("\\input{f}", f"\\{JOINER}input{{f}}"),
    ("[tex]x[/tex]", f"[{JOINER}tex]x[{JOINER}/tex]"),
    ("costs $5 and 50%", "costs $5 and 50%"),   # nothing a filter would take
])
def test_every_delimiter_is_broken_and_nothing_else_changes(text, expected):
    assert literal(text) == expected
    assert literal(text).replace(JOINER, "") == text
