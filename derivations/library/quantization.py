"""Quantization: absmax and zero-point int8, and back.

Rounding is half away from zero (`RoundHalfAway`). Zero-point codes are clipped to
[-128, 127], as the reference implementations do (Labonne's `torch.clip(..., -128, 127)`):
with w = [-0.57, 0.2, 1.13] the largest weight rounds to 128 before clipping. Absmax
codes need no clip: |s w| <= 127 by the choice of s.
"""

from __future__ import annotations

from derivations.library.core import ClipInt8, Formula, Mistake, RoundHalfAway
from derivations.library.symbols import syms

w, w_absmax, w_max, w_min, s, z, q, w_hat, e_q = syms("w w_absmax w_max w_min s z q w_hat e_q")

LABONNE = "Labonne 2023, Introduction to Weight Quantization; Dettmers et al. 2022"

FORMULAS = [
    Formula(
        id="absmax_scale",
        title="Absmax scale",
        topic="quantization",
        lhs="s",
        rhs=127 / w_absmax,
        source=LABONNE,
        example={"w_absmax": "3.1"},
    ),
    Formula(
        id="absmax_quantize",
        title="Absmax quantization",
        topic="quantization",
        lhs="q",
        rhs=RoundHalfAway(s * w),
        source=LABONNE,
        example={"s": "127/3.1", "w": "1.2"},
    ),
    Formula(
        id="absmax_dequantize",
        title="Absmax dequantization",
        topic="quantization",
        lhs="w_hat",
        rhs=q / s,
        source=LABONNE,
        example={"q": "49", "s": "127/3.1"},
    ),
    Formula(
        id="zeropoint_scale",
        title="Zero-point scale",
        topic="quantization",
        lhs="s",
        rhs=255 / (w_max - w_min),
        source=LABONNE,
        example={"w_max": "3.1", "w_min": "-2.7"},
    ),
    Formula(
        id="zeropoint_offset",
        title="Zero point",
        topic="quantization",
        lhs="z",
        rhs=-RoundHalfAway(s * w_min) - 128,
        source=LABONNE,
        example={"s": "255/5.8", "w_min": "-2.7"},
    ),
    Formula(
        id="zeropoint_quantize",
        title="Zero-point quantization",
        topic="quantization",
        lhs="q",
        rhs=ClipInt8(RoundHalfAway(s * w + z)),
        source=LABONNE,
        example={"s": "255/1.7", "w": "1.13", "z": "-42"},  # 128 before the clip
        mistakes=(Mistake("not_clipped", RoundHalfAway(s * w + z),
                          "An int8 code lies in [-128, 127]: clip the rounded value."),),
        note="clip keeps the code in int8's range $[-128, 127]$.",
    ),
    Formula(
        id="zeropoint_dequantize",
        title="Zero-point dequantization",
        topic="quantization",
        lhs="w_hat",
        rhs=(q - z) / s,
        source=LABONNE,
        example={"q": "44", "z": "-9", "s": "255/5.8"},
    ),
    Formula(
        id="quantization_error",
        title="Quantization error",
        topic="quantization",
        lhs="e_q",
        rhs=w - w_hat,
        source=LABONNE,
        example={"w": "1.2", "w_hat": "1.2055"},
    ),
]
