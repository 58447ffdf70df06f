"""Number formats: what the bits of fp32, fp16, bf16 and int8 mean, and what they can hold.

fp32 has 8 exponent and 23 fraction bits (bias 127), fp16 5 and 10 (bias 15), bf16 8 and
7 (bias 127). A sheet writes bit fields as binary literals (`e_bits = 0b10000000`), so
the decoded value is exact.
"""

from __future__ import annotations

import sympy as sp

from derivations.library.core import Formula, Mistake, RoundHalfAway
from derivations.library.symbols import syms

s_bit, e_bits, bias, f_bits, p_bits, k_bits, n_bits = syms(
    "s_bit e_bits bias f_bits p_bits k_bits n_bits")
x_fp, v_in, e_unb, err_fp, x_max, x_min, eps_mach, q_max = syms(
    "x_fp v_in e_unb err_fp x_max x_min eps_mach q_max")

IEEE = "IEEE 754-2019, binary floating-point formats (normal numbers)"

#: Exponent bits, fraction bits and bias of the formats a sheet may name
#: (`bias = { format = "fp16" }`), so that it does not type the field widths. FP8 as
#: the OCP 8-bit floating point specification (2023) defines them; its E4M3 uses the
#: all-ones exponent for normal numbers (largest value 448, not the IEEE pattern's 240).
FLOAT_FORMATS: dict[str, dict[str, int]] = {
    "fp32": {"k_bits": 8, "p_bits": 23, "bias": 127},
    "tf32": {"k_bits": 8, "p_bits": 10, "bias": 127},
    "fp16": {"k_bits": 5, "p_bits": 10, "bias": 15},
    "bf16": {"k_bits": 8, "p_bits": 7, "bias": 127},
    "fp8_e4m3": {"k_bits": 4, "p_bits": 3, "bias": 7},
    "fp8_e5m2": {"k_bits": 5, "p_bits": 2, "bias": 15},
}
MICIKEVICIUS = "Micikevicius et al. 2018, Mixed Precision Training; Kalamkar et al. 2019 (bf16)"

FORMULAS = [
    Formula(
        id="float_value",
        title="Value of a normal floating-point number",
        topic="formats",
        lhs="x_fp",
        rhs=(-1) ** s_bit * 2 ** (e_bits - bias) * (1 + f_bits / 2**p_bits),
        source=IEEE,
        example={"s_bit": "0", "e_bits": "0b10000", "bias": "15", "f_bits": "0b1001001000",
                 "p_bits": "10"},
        mistakes=(Mistake("fp32_bias", (-1) ** s_bit * 2 ** (e_bits - 127)
                          * (1 + f_bits / 2**p_bits),
                          "Each format has its own bias: 127 is fp32's and bf16's; fp16's is "
                          "15."),
                  Mistake("no_implicit_one", (-1) ** s_bit * 2 ** (e_bits - bias)
                          * f_bits / 2**p_bits,
                          "A normal number has an implicit leading 1: the significand is "
                          "$1 + f/2^p$."),),
        note="Exponent fields of all zeros (subnormals) or all ones (inf, NaN) differ.",
    ),
    Formula(
        id="float_exponent",
        title="Exponent of the nearest floating-point number",
        topic="formats",
        lhs="e_unb",
        rhs=sp.floor(sp.log(v_in, 2)),
        source=IEEE,
        example={"v_in": "3.14159265358979"},
    ),
    Formula(
        id="float_fraction",
        title="Fraction field of the nearest floating-point number",
        topic="formats",
        lhs="f_bits",
        rhs=RoundHalfAway((v_in / 2**e_unb - 1) * 2**p_bits),
        source=IEEE + "; round to nearest (ties away from zero here; IEEE breaks ties to "
                      "even)",
        example={"v_in": "3.14159265358979", "e_unb": "1", "p_bits": "10"},
        note="A fraction that rounds up to $2^p$ carries into the exponent.",
    ),
    Formula(
        id="float_nearest",
        title="Nearest representable value",
        topic="formats",
        lhs="x_fp",
        rhs=2**e_unb * (1 + f_bits / 2**p_bits),
        source=IEEE,
        example={"e_unb": "1", "f_bits": "584", "p_bits": "10"},
    ),
    Formula(
        id="float_rounding_error",
        title="Rounding error of a stored number",
        topic="formats",
        lhs="err_fp",
        rhs=x_fp - v_in,
        source=IEEE,
        example={"x_fp": "3.140625", "v_in": "3.14159265358979"},
    ),
    Formula(
        id="float_max",
        title="Largest finite value of a format",
        topic="formats",
        lhs="x_max",
        rhs=(2 - sp.Integer(2) ** (-p_bits)) * 2 ** (2**k_bits - 2 - bias),
        source=IEEE,
        example={"p_bits": "10", "k_bits": "5", "bias": "15"},
        mistakes=(Mistake("all_ones_exponent", (2 - sp.Integer(2) ** (-p_bits))
                          * 2 ** (2**k_bits - 1 - bias),
                          "The all-ones exponent is reserved for inf and NaN: the largest "
                          "usable field is $2^k - 2$."),),
    ),
    Formula(
        id="float_min_normal",
        title="Smallest positive normal value of a format",
        topic="formats",
        lhs="x_min",
        rhs=2 ** (1 - bias),
        source=IEEE,
        example={"bias": "15"},
    ),
    Formula(
        id="machine_epsilon",
        title="Machine epsilon (gap between 1 and the next number)",
        topic="formats",
        lhs="eps_mach",
        rhs=sp.Integer(2) ** (-p_bits),
        source=MICIKEVICIUS,
        example={"p_bits": "7"},
        note="bf16 keeps fp32's range with 7 fraction bits: $\\varepsilon = 2^{-7}$, fp16's "
             "is $2^{-10}$.",
    ),
    Formula(
        id="int_max",
        title="Largest code of a signed integer format",
        topic="formats",
        lhs="q_max",
        rhs=2 ** (n_bits - 1) - 1,
        source="Two's complement: codes $-2^{n-1}$ to $2^{n-1} - 1$",
        example={"n_bits": "8"},
    ),
]
