"""Drawing a variant (`variants.draw`): the documented hash, recomputed here with
hashlib, and grid values by decimal arithmetic."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from derivations.sheet.spec import load_sheet
from derivations.variants.draw import draw, grid_value, position
from tests.conftest import COMPUTE_SHEET

SHEET = COMPUTE_SHEET + """[random]
N = { from = 1e9, to = 1e10, step = 1e9, exclude = [5e9] }
[variants]
salt = "week-4"
pool = 3
"""


def test_position_is_sha256_of_salt_index_and_name():
    digest = hashlib.sha256(b"week-4|7|N").digest()
    assert position("week-4", 7, "N", 9) == int.from_bytes(digest, "big") % 9


def test_a_grid_skips_its_excluded_values_and_draw_replaces_the_given():
    sheet = load_sheet(SHEET, "s.toml", "s")
    (random,) = sheet.random
    values = [grid_value(random, k) for k in range(random.size)]
    assert Decimal("5e9") not in values and len(values) == 9
    assert values[:5] == [Decimal(n) * 10**9 for n in (1, 2, 3, 4, 6)]
    drawn, written = draw(sheet, 2)
    k = position("week-4", 2, "N", 9)
    assert Decimal(written["N"]) == values[k]
    assert drawn.given["N"].expr.text == written["N"] and drawn.given["D"] == sheet.given["D"]
