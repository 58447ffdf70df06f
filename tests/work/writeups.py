# ruff: noqa: E501 - the long lines are lines of the write-ups themselves
"""Write-ups for the tests, written here with numbers computed in plain Python floats
(never by the engine under test), as Markdown, LaTeX and plain text.

`genai_markdown()` is a correct write-up of problems/genai_week4.toml; `planted()`
returns it with one error of a named kind put in, and the text of the line that
carries the error.
"""

from __future__ import annotations

import math

A, B, E, ALPHA, BETA, N, D = 406.4, 410.7, 1.69, 0.34, 0.28, 67e9, 4.1e12


def sci(value: float, sig: int = 4) -> str:
    """`1.648 \\times 10^{24}` with `sig` significant figures."""
    mantissa, exponent = f"{value:.{sig - 1}e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def genai_values(slip: float = 1.0) -> dict[str, float]:
    """The write-up's numbers; `slip` multiplies the D' it writes (a planted error that
    every later line carries forward)."""
    v: dict[str, float] = {}
    v["C"] = 6 * N * D
    v["L"] = round(E + A / N**ALPHA + B / D**BETA, 5)
    v["Lt"] = round(0.99 * v["L"], 5)
    v["Dn"] = float(f"{slip * (B / (v['Lt'] - E - A / N**ALPHA)) ** (1 / BETA):.4g}")
    v["Cn"] = float(f"{6 * N * v['Dn']:.4g}")
    v["x"] = math.log2(D / (2 * D - v["Dn"]))
    v["N3"] = 1.41 * N
    v["D3"] = float(f"{v['Cn'] / (6 * v['N3']):.4g}")
    v["x3"] = math.log2(D / (2 * D - v["D3"]))
    return v


def genai_markdown(slip: float = 1.0) -> str:
    v = genai_values(slip)
    return f"""# Week 4

## E1

$$C = 6ND = 6 \\times 67 \\times 10^9 \\times 4.1 \\times 10^{{12}} = {sci(v['C'])} \\text{{ FLOPs}}$$

$$L = E + \\frac{{A}}{{N^{{\\alpha}}}} + \\frac{{B}}{{D^{{\\beta}}}} = 1.69 + \\frac{{406.4}}{{(67 \\times 10^9)^{{0.34}}}} + \\frac{{410.7}}{{(4.1 \\times 10^{{12}})^{{0.28}}}} \\approx {v['L']:.5f}$$

## E2

The target is 1% lower: $L' = 0.99 \\times L = 0.99 \\times {v['L']:.5f} \\approx {v['Lt']:.5f}$.

$$L' = E + \\frac{{A}}{{N^\\alpha}} + \\frac{{B}}{{D'^\\beta}} \\Rightarrow D' = \\left(\\frac{{B}}{{L' - E - A/N^{{\\alpha}}}}\\right)^{{1/\\beta}} = \\left(\\frac{{410.7}}{{{v['Lt']:.5f} - 1.69 - 406.4/(67 \\times 10^9)^{{0.34}}}}\\right)^{{1/0.28}} \\approx {sci(v['Dn'])} \\text{{ tokens}}$$

$$C' = 6ND' = 6 \\times 67 \\times 10^9 \\times {sci(v['Dn'])} \\approx {sci(v['Cn'])} \\text{{ FLOPs}}$$

$$D' = 2\\left(1 - \\frac{{1}}{{2^{{x+1}}}}\\right) D \\to x = \\log_2\\left(\\frac{{D}}{{2D - D'}}\\right) = \\log_2\\left(\\frac{{4.1 \\times 10^{{12}}}}{{2 \\times 4.1 \\times 10^{{12}} - {sci(v['Dn'])}}}\\right) \\approx {v['x']:.3f} \\text{{ epochs}} \\tag{{1}}$$

## E3

$$N' = 1.41 N = 1.41 \\times 67 \\times 10^9 = {sci(v['N3'])}$$

$$C' = 6N'D \\to D = \\frac{{C'}}{{6N'}} = \\frac{{{sci(v['Cn'])}}}{{6 \\times {sci(v['N3'])}}} \\approx {sci(v['D3'])} \\text{{ tokens}}$$

Using (1) again: $$x = \\log_2\\left(\\frac{{4.1}}{{8.2 - {v['D3'] / 1e12:.3f}}}\\right) \\approx {v['x3']:.3f}$$

## E4

$$M_w = N b_w = 175 \\times 10^9 \\times 2 = 3.5 \\times 10^{{11}} \\text{{ bytes}} \\quad (350 \\text{{ GB}})$$

$$M_K = K N b_w = 100 \\times 3.5 \\times 10^{{11}} = 3.5 \\times 10^{{13}} \\text{{ bytes}}$$

## E5

$$P = 2 \\times d_{{\\text{{model}}}}^2 \\times 96 = 2 \\times 12{{,}}288^2 \\times 96 = {2 * 12288**2 * 96:,}$$

$$M = 2P = {2 * 2 * 12288**2 * 96:,} \\text{{ bytes}} \\approx {2 * 2 * 12288**2 * 96 / 2**30:.0f} \\text{{ GiB}}$$

## E6

$$P = 2 \\times 96 \\times r (d_{{in}} + d_{{out}}) = 2 \\times 96 \\times 4 \\times (12288 + 12288) = {2 * 96 * 4 * 24576:,}$$

$$M = 2P = {4 * 96 * 4 * 24576:,} \\text{{ bytes}} = {4 * 96 * 4 * 24576 / 2**20:.0f} \\text{{ MiB}}$$

## E7

$$M = b_w \\times 96 \\times r (d_{{in}} + d_{{out}}) \\rightarrow r = \\frac{{M}}{{b_w \\times 96 \\times (d_{{in}} + d_{{out}})}} = \\frac{{{4 * 96 * 4 * 24576:,}}}{{2 \\times 96 \\times 24{{,}}576}} = {4 * 96 * 4 * 24576 // (2 * 96 * 24576)}$$
""".replace(",", "{,}").replace("{{,}}", "{,}").replace("{{,}", "{,}")


def planted(kind: str) -> tuple[str, str]:
    """The correct write-up with one error of `kind`, and a text of the erring line."""
    text = genai_markdown()
    v = genai_values()
    if kind == "numeric slip":
        right = f"= {sci(v['C'])} \\text{{ FLOPs}}"
        wrong = f"= {sci(v['C'] * 1.0243)} \\text{{ FLOPs}}"
        return text.replace(right, wrong), wrong
    if kind == "dropped factor":
        full = 2 * 2 * 12288**2 * 96
        right = "$$M = 2P = " + f"{full:,}".replace(",", "{,}")
        wrong = "$$M = 2P = 2 \\times 2 \\times 12{,}288^2 \\times 96 = " + sci(full / 96)
        start = text.index(right)
        end = text.index("$$", start + 2)
        return text[:start] + wrong + " \\text{ bytes}" + text[end:], wrong
    if kind == "wrong rearrangement":
        right = "\\to D = \\frac{C'}{6N'}"
        wrong = "\\to D = \\frac{6N'}{C'}"
        return text.replace(right, wrong), wrong
    if kind == "dropped minus one":
        right = "\\to x = \\log_2\\left(\\frac{D}{2D - D'}\\right)"
        wrong = "\\to x = \\log_2\\left(\\frac{2D}{2D - D'}\\right)"
        return text.replace(right, wrong), wrong
    if kind == "carried forward":
        slipped = genai_values(1.04)
        return genai_markdown(1.04), f"\\approx {sci(slipped['Dn'])} \\text{{ tokens}}"
    if kind == "unread notation":
        wrong = "$$C = \\mathbb{E}[6ND] = 1$$"
        return text.replace("## E2\n", "## E2\n\n" + wrong + "\n"), wrong
    raise ValueError(kind)


def gpu_latex() -> str:
    """A correct LaTeX write-up of problems/gpu_memory.toml, problems G1 and G4."""
    plain = 13e9 * (2 + 2 + 12)
    kv = 2 * 1 * 2 * 128 * 4096 * 40 * 40
    return rf"""\documentclass{{article}}
\usepackage{{amsmath}}
\begin{{document}}
\section{{Problem G1}}
% model states: weights, gradients, AdamW
\begin{{align*}}
M_{{\text{{states}}}} &= N (b_w + b_g + k_{{os}}) \\
  &= 13 \times 10^{{9}} \times (2 + 2 + 12) \\
  &= {sci(plain, 3)}~\text{{bytes}}
\end{{align*}}
With ZeRO-3 over $n_{{dp}} = 8$ GPUs:
\[ \frac{{M_{{\text{{states}}}}}}{{n_{{dp}}}} = \frac{{{sci(plain, 3)}}}{{8}} = {sci(plain / 8, 3)}~\text{{bytes}} \]
\section{{Problem G4}}
\begin{{equation}}
M_{{kv}} = 2 b\, b_w\, d_{{head}}\, n_{{ctx}}\, n_{{kv}}\, n_{{layers}} = 2 \times 1 \times 2 \times 128 \times 4096 \times 40 \times 40 = {grouped(kv)} \text{{ bytes}}
\end{{equation}}
For 32k tokens the cache is 8 times larger: $M = 8 \times {grouped(kv)} = {grouped(8 * kv)}$ bytes.
\end{{document}}
"""


def grouped(number: int) -> str:
    """`12{,}288`: LaTeX thousands separators."""
    return f"{number:,}".replace(",", "{,}")


def genai_plain() -> str:
    """Plain text: Unicode math, no markup, problems named by number."""
    c = 6 * N * D
    lt = round(0.99 * round(E + A / N**ALPHA + B / D**BETA, 4), 4)
    return f"""Problem 1
So the compute is C ≈ 6 × 67 × 10^9 × 4.1 × 10^12 = {c:.4e} FLOPs
Problem 2
The target loss is L' = 0.99 × {round(E + A / N**ALPHA + B / D**BETA, 4)} ≈ {lt}
L' = E + A/N^α + B/D'^β → D' = (B/(L' − E − A/N^α))^(1/β)
"""
