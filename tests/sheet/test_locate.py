"""TOML key paths to lines (`sheet.locate`), for located errors: lines counted by hand."""

from __future__ import annotations

import pytest

from derivations.sheet.locate import locate

TEXT = """title = "t"
[given]
N = 7e9
D = 1.4e11

[[problems]]
id = "E1"
[problems.given]
b_w = 2
[[problems.asks]]
id = "C"
formula = "training_compute"

[[problems]]
id = "E2"
[[problems.asks]]
id = "L"
formula = "chinchilla_loss"
bind = { N = "E1.C" }
"""


@pytest.mark.parametrize("key,line", [
    ("title", 1), ("given.D", 4), ("problems.E1.given.b_w", 9),
    ("problems.E1.asks.C.formula", 12), ("problems.E2.asks.L.bind", 19),
    ("problems.#2", 14), ("problems.E2", 14),
])
def test_a_key_path_finds_its_line(key, line):
    assert locate(TEXT, key) == line


def test_what_cannot_be_found_is_none_not_a_guess():
    assert locate("", "title") is None and locate(TEXT, "") is None
