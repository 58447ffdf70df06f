"""A class of answers with known labels, to measure how the grader reads and judges.

Labels: `correct` (the right value in one of the forms students write), `rounded`
(computed from an intermediate rounded to 3 significant figures), `carried` (right
from the student's own wrong earlier answer), `mistake:<id>` (a known mistake's
value), `garbage` (a number no mistake explains) and `near` (1.3% and 2.5% off).
The rounded and carried values are computed here from the problem statements, not
by the engine. `measure()` returns the rates; `tests/grade/test_labelled_class.py`
holds them to the targets and `benchmarks/run.py` prints them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from derivations.grade.grader import Grader

ACCEPTED = ("correct", "correct-with-rounding", "carried-forward")
N, D, E, A, B, ALPHA, BETA = 67e9, 4.1e12, 1.69, 406.4, 410.7, 0.34, 0.28


@dataclass(frozen=True)
class Item:
    sheet: str
    answer: str
    text: str
    label: str
    context: tuple[tuple[str, str], ...] = ()  # earlier answers written by the student


def tokens_for(loss: float) -> float:
    return (B / (loss - E - A / N**ALPHA)) ** (1 / BETA)


def sig(value: float, figures: int) -> float:
    return float(f"{value:.{figures - 1}e}")


def number_forms(value: float, unit: str, display: str, integer: bool) -> list[str]:
    """The ways students write a correct value (4 significant figures, or exact)."""
    if integer:
        whole = round(value)
        grouped = f"{whole:,}".replace(",", " ")
        forms = [str(whole), grouped, f"{whole:,}", f"= {whole}", f"{whole}."]
        return forms + ([f"{whole} {unit}s"] if unit != "1" else [])
    mantissa, exponent = f"{value:.3e}".split("e")
    exponent = str(int(exponent))
    forms = [f"{value:.4g}", f"{mantissa}e{exponent}", f"{mantissa} x 10^{exponent}",
             f"{mantissa} X10^{exponent}", f"≈ {value:.4g}", f"~{value:.4g}",
             f"{value:.4g}.", f"{mantissa}×10^{exponent}", display]
    if unit in ("parameter", "token") and value >= 1e9:
        forms += [f"{value / 1e9:.2f}B", f"{value / 1e9:.2f} billion {unit}s"]
    if unit == "byte":
        forms += [f"{value / 1e9:.4g} gigabytes", f"{round(value)}"]
    if unit == "1" and 1 < value < 10:
        forms += [f"{value:.3f}".replace(".", ","), f"{value:.3f} nats"]
    if unit == "epoch":
        forms += [f"{value:.3g} extra epochs", f"{value:.3g} additional epochs"]
    return forms


def correct_items(grader: Grader, sheet: str, display: dict[str, str]) -> list[Item]:
    items = []
    for aid, key in grader.keys.items():
        if key.kind != "number":
            continue
        integer = key.tolerance == 0
        for text in number_forms(key.expected, key.unit, display[aid], integer):
            items.append(Item(sheet, aid, text, "correct"))
            items.append(Item(sheet, aid, f"{aid.split('.')[1]} = {text}", "correct"))
    return items


def genai_rounded_and_carried() -> list[Item]:
    l_target = 0.99 * (E + A / N**ALPHA + B / D**BETA)
    items = []
    for rounded in (sig(l_target, 3),):
        d_new = tokens_for(rounded)
        items.append(Item("genai_week4", "E2.D_new", f"{d_new:.4g}", "rounded"))
        items.append(Item("genai_week4", "E2.C_new", f"{6 * N * d_new:.4g}", "rounded",
                          (("E2.D_new", f"{d_new:.4g}"),)))
    for factor in (1.2, 0.8):
        d_new = tokens_for(l_target) * factor
        items.append(Item("genai_week4", "E2.C_new", f"{6 * N * d_new:.4g}", "carried",
                          (("E2.D_new", f"{d_new:.4g}"),)))
    lora_bytes = 2 * 96 * 4 * (12288 + 12288) * 2
    shown = sig(lora_bytes / 1e6, 3)  # 37.7 MB
    rank = math.floor(shown * 1e6 / (96 * 1 * 24576 * 2))
    items.append(Item("genai_week4", "E7.rank", str(rank), "rounded",
                      (("E6.bytes", f"{shown} MB"),)))
    items.append(Item("genai_week4", "E4.bytes_all", "3.5e14 bytes", "carried",
                      (("E4.bytes_one", "3.5e12 bytes"),)))
    return items


def mistake_items(grader: Grader, sheet: str) -> list[Item]:
    items = []
    for aid, key in grader.keys.items():
        for variant in key.variants:
            if key.kind == "number" and not math.isclose(variant.value, key.expected,
                                                         rel_tol=0.02):
                unit = " bytes" if key.unit == "byte" else ""
                items.append(Item(sheet, aid, f"{variant.value:.4g}{unit}",
                                  f"mistake:{variant.diagnosis}"))
    return items


def wrong_items(grader: Grader, sheet: str, rng: random.Random) -> list[Item]:
    """Garbage (factors no slip explains) and near misses."""
    items = []
    for aid, key in grader.keys.items():
        if key.kind != "number" or key.expected == 0:
            continue
        for factor in (3.37, 0.193, 5.71, 0.43, 1.77):
            value = key.expected * factor * (1 + rng.uniform(-0.002, 0.002))
            if not any(math.isclose(value, v.value, rel_tol=0.03) for v in key.variants) \
                    and not any(math.isclose(value, r.value, rel_tol=0.03)
                                for r in key.rounded):
                items.append(Item(sheet, aid, f"{value:.4g}", "garbage"))
        for miss in (1.013, 0.987, 1.025, 0.975):
            value = key.expected * miss
            if key.tolerance == 0:
                value = round(key.expected) + (1 if miss > 1 else -1)
            explained = any(math.isclose(value, v.value, rel_tol=key.variant_tolerance)
                            for v in key.variants) or any(
                math.isclose(value, r.value, rel_tol=max(key.tolerance, 1e-12))
                for r in key.rounded)
            if not explained:
                items.append(Item(sheet, aid, f"{value:.5g}", "near"))
    return items


def measure(solved: dict, displays: dict[str, dict[str, str]]) -> dict[str, float]:
    """Grade the labelled class; rates and counts by label family."""
    rng = random.Random(20261123)
    graders = {name: Grader(solved[name]) for name in ("genai_week4", "dlp_week4")}
    items: list[Item] = []
    for name, grader in graders.items():
        items += correct_items(grader, name, displays[name])
        items += mistake_items(grader, name) + wrong_items(grader, name, rng)
    items += genai_rounded_and_carried()
    counts = {"right": 0, "rejected": 0, "wrong": 0, "accepted": 0, "mistakes": 0,
              "named": 0, "garbage": 0, "confident": 0}
    failures: list[str] = []
    for item in items:
        written = dict(item.context) | {item.answer: item.text}
        verdict = graders[item.sheet].grade("s", written).answers[item.answer]
        ok = verdict.verdict in ACCEPTED
        if item.label in ("correct", "rounded", "carried"):
            counts["right"] += 1
            if not ok:
                counts["rejected"] += 1
                failures.append(f"rejected {item}: {verdict.verdict} {verdict.feedback}")
        else:
            counts["wrong"] += 1
            if ok:
                counts["accepted"] += 1
                failures.append(f"accepted {item}: {verdict.feedback}")
        if item.label.startswith("mistake:"):
            counts["mistakes"] += 1
            named = item.label.split(":", 1)[1] in (verdict.diagnosis, *verdict.alternatives)
            counts["named"] += named
            if not named:
                failures.append(f"not named {item}: {verdict.diagnosis} {verdict.feedback}")
        if item.label == "garbage":
            counts["garbage"] += 1
            if verdict.diagnosis:
                counts["confident"] += 1
                failures.append(f"diagnosed garbage {item}: {verdict.diagnosis}")
    return {**counts,
            "false_reject": counts["rejected"] / counts["right"],
            "false_accept": counts["accepted"] / counts["wrong"],
            "named_rate": counts["named"] / counts["mistakes"] if counts["mistakes"] else 1.0,
            "failures": failures}  # type: ignore[dict-item]
