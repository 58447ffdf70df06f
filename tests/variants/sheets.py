"""Small sheets with variants, shared by the variant tests."""

SMALL = """title = "Variant test"
course = "Tests"

[given]
N = 7e9
D = 1.4e11
b_w = { dtype = "bf16" }

[random]
N = { from = 1e9, to = 9e9, step = 1e9 }
D = { choice = [1e11, 2e11, 3e11] }
b_w = { choice = ["fp16", "fp32"] }

[variants]
salt = "test-salt"
pool = 5
require = ["P.C > 1e20"]

[[problems]]
id = "P"
title = "Compute and weights"
statement = "A model of {{N}} is trained on {{D}}; its weights are kept in {{b_w}}."

[[problems.asks]]
id = "C"
text = "Training compute"
formula = "training_compute"
unit = "FLOP"

[[problems.asks]]
id = "bytes"
text = "Weight memory"
formula = "weight_memory"
unit = "GB"
"""


def small(changes: dict[str, str] | None = None) -> str:
    """SMALL with some text replaced: small({"pool = 5": "pool = 60"})."""
    text = SMALL
    for old, new in (changes or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    return text
