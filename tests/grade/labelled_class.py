"""A class of answers with known labels, to measure how the grader reads and judges.

Every expected value is computed here from the problem statements with plain float
arithmetic, never from the grader's keys or the engine (the sheets' numbers are
copied from their statements). Labels:

- `correct`: the right value in one of the notations of `forms` (LaTeX, siunitx, CLDR
  groupings, unit grammar, remarks, restatements that agree); every form is checked
  against the truth here before it is used (1%, exact for whole-number counts);
- `rounded`, `carried`: computed from a rounded or a wrong earlier value the student
  also wrote, followed through the formulas here;
- `mistake:<id>`: the value a named mistake gives, computed here, in many notations;
- `contradiction`: a right value restated as a different one (`350 GB (999 GiB)`);
- `bits`: a byte answer in bits (`350 Gb`), a wrong unit;
- `garbage` and `near`: factors no mistake explains, and 1.5% to 3% off.

`measure()` returns the rates; `tests/grade/test_labelled_class.py` holds them to the
targets of the one-reader issue and `benchmarks/run.py` prints them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from derivations.grade.grader import Grader
from tests.grade import forms as f

ACCEPTED = ("correct", "correct-with-rounding", "carried-forward")
GB, GIB, MB, MIB, TB, TIB = 1e9, 2**30, 1e6, 2**20, 1e12, 2**40

# -- truth, from the statements -------------------------------------------------------
N, D, E, A, B, ALPHA, BETA = 67e9, 4.1e12, 1.69, 406.4, 410.7, 0.34, 0.28


def loss(n: float, d: float) -> float:
    return E + A / n**ALPHA + B / d**BETA


def tokens_for(target: float, n: float = N) -> float:
    return (B / (target - E - A / n**ALPHA)) ** (1 / BETA)


def extra_epochs(d_new: float, d: float = D) -> float:
    return -math.log2(1 - d_new / (2 * d)) - 1


GENAI = {"E1.C": 6 * N * D, "E1.L": loss(N, D)}
GENAI["E2.L_target"] = 0.99 * GENAI["E1.L"]
GENAI["E2.D_new"] = tokens_for(GENAI["E2.L_target"])
GENAI["E2.C_new"] = 6 * N * GENAI["E2.D_new"]
GENAI["E2.extra_epochs"] = extra_epochs(GENAI["E2.D_new"])
GENAI["E3.N_new"] = 1.41 * N
GENAI["E3.D_new"] = GENAI["E2.C_new"] / (6 * GENAI["E3.N_new"])
GENAI["E3.extra_epochs"] = extra_epochs(GENAI["E3.D_new"])
GENAI["E4.bytes_one"] = 175e9 * 2
GENAI["E4.bytes_all"] = 100 * GENAI["E4.bytes_one"]
GENAI["E5.params"] = 2 * 12288**2 * 96
GENAI["E5.bytes"] = 2 * GENAI["E5.params"]
GENAI["E6.params"] = 96 * 2 * 4 * (12288 + 12288)
GENAI["E6.bytes"] = 2 * GENAI["E6.params"]
GENAI["E7.rank"] = 8.0  # floor(E6.bytes / (1 x 2 x 12288 x 96 x 2 bytes)) = floor(8.0)

DLP = {"Q1.steps": 1e6 / (16 * 4 * 1), "Q3.bytes": 7e9 * 4, "Q4.bytes": 7e9 * 4,
       "Q5.head_params": 2048.0 * 8}
DLP_TRUTH = {"Q2.answer": False, "Q6.answer": True, "Q7.answer": True, "Q8.answer": True}

STATES = 13e9 * (2 + 2 + 12)
ACTIVATION = 4096 * 1 * 5120 * 40  # s b h L
GPU = {"G1.plain": STATES, "G1.zero3": STATES / 8,
       "G2.none": ACTIVATION * (34 + 5 * 40 * 4096 / 5120), "G2.selective": ACTIVATION * 34,
       "G2.full": ACTIVATION * 2, "G4.kv_4k": 2 * 40 * 40 * 128 * 4096 * 2,
       "G4.kv_32k": 2 * 40 * 40 * 128 * 32768 * 2,
       "G5.mfu": 6 * 13e9 * 12000 / (8 * 312e12)}
GPU["G3.gpus_selective"] = float(math.ceil(STATES / (80e9 - GPU["G2.selective"])))
GPU["G3.gpus_full"] = float(math.ceil(STATES / (80e9 - GPU["G2.full"])))
GPU["G5.time"] = 6 * 13e9 * 260e9 / (64 * 312e12 * GPU["G5.mfu"])
GPU_TRUTH = {"G1.fits": False, "G2.too_big": True}

#: Whole-number answers below 10^7 must be exact (the README's rule); others 1%.
EXACT = {"E7.rank", "Q1.steps", "Q5.head_params", "G3.gpus_selective", "G3.gpus_full"}


@dataclass(frozen=True)
class Item:
    sheet: str
    answer: str
    text: str
    label: str
    context: tuple[tuple[str, str], ...] = ()  # earlier answers written by the student


def holds(answer: str, written: float, truth: float) -> bool:
    """Is a written value right (the check this class's labels rest on)?"""
    if answer in EXACT:
        return written == truth
    return abs(written - truth) <= 0.01 * abs(truth)


# -- the notations of each kind of answer --------------------------------------------
#: The unit each byte answer is asked in (the sheets' `unit = ...`, copied here).
DISPLAY = {"E4.bytes_one": GB, "E4.bytes_all": TB, "E5.bytes": GIB, "E6.bytes": MIB,
           "Q3.bytes": GB, "Q4.bytes": GB, "G1.plain": GB, "G1.zero3": GB, "G2.none": GB,
           "G2.selective": GB, "G2.full": GB, "G4.kv_4k": GB, "G4.kv_32k": GB}


def byte_writers(answer: str, truth: float) -> list[tuple[str, f.Writer, float]]:
    """(name, writer, factor): the writer is given truth / factor."""
    decimal = next(u for u in (TB, GB, MB) if truth >= u)
    binary = next(u for u in (TIB, GIB, MIB) if truth >= u)
    dec, bin_ = {TB: "TB", GB: "GB", MB: "MB"}[decimal], {TIB: "TiB", GIB: "GiB",
                                                          MIB: "MiB"}[binary]
    word = {TB: "terabytes", GB: "gigabytes", MB: "megabytes"}[decimal]
    macro = {TB: "\\tera", GB: "\\giga", MB: "\\mega"}[decimal]
    imacro = {TIB: "\\tebi", GIB: "\\gibi", MIB: "\\mebi"}[binary]
    found = [(n, w, decimal) for n, w in f.unit_forms([dec, dec + "s", word, dec.lower()])]
    found += [(n, w, binary) for n, w in f.unit_forms([bin_, bin_ + "s", "gibibytes"
                                                       if binary == GIB else bin_])]
    found += [(n, w, decimal) for n, w in f.siunitx_units([(dec, macro + "\\byte"),
                                                           (dec + "_plain", dec)])]
    found += [(n, w, binary) for n, w in f.siunitx_units([(bin_, imacro + "\\byte")])]
    found += [(n, w, 1.0) for n, w in f.scientific_forms("bytes") + f.scientific_forms("B")]
    found.append(("both_units", lambda v: f"{f.plain(v / decimal, 4)} {dec} "
                  f"({f.plain(v / binary, 4)} {bin_})", 1.0))
    found.append(("both_equals", lambda v: f"{f.plain(v / binary, 4)} {bin_} = "
                  f"{f.plain(v / decimal, 4)} {dec}", 1.0))
    shown = DISPLAY[answer]
    found.append(("bare_display", lambda v: f.plain(v / shown, 4), 1.0))
    return found


def count_writers(unit: str, scale_word: bool) -> list[tuple[str, f.Writer, float]]:
    found = [(n, w, 1.0) for n, w in f.scientific_forms(unit) + f.scientific_forms("")]
    found += [(n, w, 1.0) for n, w in f.grouping_forms(unit) + f.grouping_forms("")]
    if scale_word:
        for word, size in (("billion", 1e9), ("bn", 1e9), ("trillion", 1e12), ("tn", 1e12),
                           ("T", 1e12), ("B", 1e9), ("million", 1e6), ("M", 1e6)):
            found.append((f"scale[{word}]", lambda v, w=word, s=size:
                          f"{f.plain(v / s, 4)} {w} {unit}".strip()
                          if 1 <= v / s < 1000 else None, 1.0))
            found.append((f"scale_glued[{word}]", lambda v, w=word, s=size:
                          f"{f.plain(v / s, 4)}{w}" if len(w) == 1 and 1 <= v / s < 1000
                          else None, 1.0))
    return found


def flop_writers() -> list[tuple[str, f.Writer, float]]:
    found = [(n, w, 1.0) for unit in ("FLOPs", "FLOP", "flops", "")
             for n, w in f.scientific_forms(unit)]
    for prefix, size in (("ZFLOP", 1e21), ("YFLOPs", 1e24), ("EFLOP", 1e18),
                         ("zettaFLOPs", 1e21)):
        found.append((f"prefix[{prefix}]", lambda v, p=prefix, s=size:
                      f"{f.plain(v / s, 4)} {p}", 1.0))
    found.append(("pflop_days", lambda v: f"{f.plain(v / 8.64e19, 4)} PFLOP-days", 1.0))
    found.append(("petaflop_s_days", lambda v: f"{f.plain(v / 8.64e19, 4)} petaflop/s-days",
                  1.0))
    found.append(("septillion", lambda v: f"{f.plain(v / 1e24, 4)} septillion FLOPs", 1.0))
    return found


def plain_writers(units: list[str]) -> list[tuple[str, f.Writer, float]]:
    found = [(n, w, 1.0) for unit in units for n, w in f.decimal_forms(unit)]
    return found


def time_writers() -> list[tuple[str, f.Writer, float]]:
    day = 86400.0
    found = [(n, w, day) for n, w in f.unit_forms(["days", "d", "day"])]
    found += [(n, w, 7 * day) for n, w in f.unit_forms(["weeks", "wk"])]
    found += [(n, w, 3600.0) for n, w in f.unit_forms(["hours", "h", "hrs"])]
    found += [(n, w, 1.0) for n, w in f.scientific_forms("s") + f.scientific_forms("seconds")]
    found += [(n, w, day) for n, w in f.siunitx_units([("day", "\\day")])]
    return found


def percent_writers() -> list[tuple[str, f.Writer, float]]:
    return [("percent_sign", lambda v: f"{f.plain(v * 100, 3)} %", 1.0),
            ("percent_glued_mfu", lambda v: f"{f.plain(v * 100, 3)}% MFU", 1.0),
            ("latex_percent", lambda v: f"${f.plain(v * 100, 3)}\\%$", 1.0),
            ("siunitx_percent", lambda v: f"\\SI{{{f.plain(v * 100, 3)}}}{{\\percent}}", 1.0),
            ("percent_word", lambda v: f"{f.plain(v * 100, 3)} percent", 1.0),
            ("fraction", lambda v: f.plain(v, 3), 1.0),
            ("fraction_restated", lambda v: f"{f.plain(v, 3)} (= {f.plain(v * 100, 3)} %)",
             1.0)]


def whole_writers(unit: str) -> list[tuple[str, f.Writer, float]]:
    words = {3: "three", 5: "five", 8: "eight"}
    return [("plain", lambda v: str(int(v)), 1.0),
            ("unit", lambda v: f"{int(v)} {unit}".strip(), 1.0),
            ("words", lambda v: words.get(int(v)), 1.0),
            ("latex", lambda v: f"${int(v)}$", 1.0),
            ("name", lambda v: f"r = {int(v)}", 1.0),
            ("boxed", lambda v: f"$\\boxed{{{int(v)}}}$", 1.0),
            ("decimal", lambda v: f"{int(v)}.0", 1.0)]


def writers_for(answer: str, truth: float) -> list[tuple[str, f.Writer, float]]:
    if answer in EXACT:
        unit = {"Q1.steps": "steps", "Q5.head_params": "weights", "E7.rank": ""}.get(
            answer, "GPUs")
        found = whole_writers(unit)
        if truth >= 10_000:  # exact forms only: a count below 10^7 must be exact
            found += [(n, w, 1.0) for n, w in f.grouping_forms(unit) + f.grouping_forms("")]
            found.append(("exact_e", lambda v: f"{v / 10**4:.4f}e4 {unit}", 1.0))
        return found
    if answer.startswith(("E1.C", "E2.C_new")):
        return flop_writers()
    if "bytes" in answer or answer.startswith(("G1", "G2", "G4")):
        return byte_writers(answer, truth)
    if "N_new" in answer or "params" in answer:
        return count_writers("parameters", True)
    if "D_new" in answer:
        return count_writers("tokens", True)
    if "epochs" in answer:
        return plain_writers(["", "epochs", "extra epochs"])
    if answer == "G5.mfu":
        return percent_writers()
    if answer == "G5.time":
        return time_writers()
    return plain_writers(["", "nats", "nats/token", "nats per token"])


def correct_items(sheet: str, truths: dict[str, float]) -> list[Item]:
    items = []
    for answer, truth in truths.items():
        for name, writer, factor in writers_for(answer, truth):
            text = writer(truth / factor)
            if text is None:
                continue
            items.append(Item(sheet, answer, text, f"correct:{name}"))
    return items


# -- wrong answers --------------------------------------------------------------------
def mistakes() -> list[tuple[str, str, float, tuple[str, ...]]]:
    """(sheet, answer, the mistake's value computed here, the diagnoses that name it)."""
    found = [
        ("genai_week4", "E1.C", 2 * N * D, ("forward_only",)),
        ("genai_week4", "E1.C", 4 * N * D, ("backward_only",)),
        ("genai_week4", "E1.C", 60 * N * D, ("power_of_ten",)),
        ("genai_week4", "E2.C_new", 2 * N * GENAI["E2.D_new"], ("forward_only",)),
        ("genai_week4", "E2.extra_epochs", GENAI["E2.extra_epochs"] + 1, ("total_epochs",)),
        ("genai_week4", "E3.extra_epochs", GENAI["E3.extra_epochs"] + 1, ("total_epochs",)),
        ("genai_week4", "E4.bytes_one", 175e9 * 4, ("wrong_dtype",)),
        ("genai_week4", "E4.bytes_one", 350e9 / GIB * GB, ("decimal_binary",)),
        ("genai_week4", "E5.params", 2 * 12288**2, ("forgot_layers",)),
        ("genai_week4", "E5.bytes", 2 * 2 * 12288**2, ("forgot_layers",)),
        ("genai_week4", "E6.params", GENAI["E6.params"] / 2, ("one_lora_matrix",
                                                              "given_from_other_problem")),
        ("genai_week4", "E6.bytes", GENAI["E6.bytes"] * 2, ("wrong_dtype",)),
        ("dlp_week4", "Q1.steps", 1e6 / 16, ("forgot_accumulation",)),
        ("dlp_week4", "Q5.head_params", 2048 * 8 + 8, ("bias_counted",)),
        ("dlp_week4", "Q3.bytes", 7e9 * 2, ("wrong_dtype",)),
        ("gpu_memory", "G1.zero3", STATES, ("zero_not_sharded",)),
        ("gpu_memory", "G4.kv_4k", GPU["G4.kv_4k"] / 2, ("kv_one_tensor",)),
        ("gpu_memory", "G4.kv_32k", GPU["G4.kv_32k"] * 2, ("wrong_dtype",)),
        ("gpu_memory", "G2.selective", GPU["G2.selective"] / 40, ("one_layer",)),
        ("gpu_memory", "G2.full", GPU["G2.full"] / 40, ("one_layer_input", "one_layer")),
    ]
    return found


def mistake_items() -> list[Item]:
    items = []
    for sheet, answer, value, diagnoses in mistakes():
        for name, writer, factor in writers_for(answer, value):
            text = writer(value / factor)
            if text is None or name in ("bare_display", "fraction"):
                continue
            items.append(Item(sheet, answer, text, "mistake:" + "|".join(diagnoses)))
    return items


def wrong_items(truths: dict[str, dict[str, float]], rng: random.Random) -> list[Item]:
    """Garbage, near misses, contradictions and bits."""
    items = []
    for sheet, values in truths.items():
        for answer, truth in values.items():
            if answer in EXACT and truth < 1000:
                continue  # every small count is some slip's value: no garbage to make
            for factor in (3.37, 0.193, 5.71, 0.43, 1.77):
                value = truth * factor * (1 + rng.uniform(-0.002, 0.002))
                if answer in EXACT:
                    value = float(round(value))
                text = f"{value:.4g}" if answer not in EXACT else str(int(value))
                items.append(Item(sheet, answer, text, "garbage"))
                items.append(Item(sheet, answer, f"${f.mantissa(value, 4)[0]} \\times "
                                                 f"10^{{{f.mantissa(value, 4)[1]}}}$",
                                  "garbage"))
            if answer not in EXACT:
                for miss in (1.018, 0.982, 1.03, 0.97):
                    items.append(Item(sheet, answer, f"{truth * miss:.5g}", "near"))
    for sheet, answer, text in (
            ("genai_week4", "E4.bytes_one", "350 GB (999 GiB)"),
            ("genai_week4", "E2.D_new", "7.544e12 (= 9.9e12)"),
            ("genai_week4", "E2.D_new", "7.544e12 tokens, i.e. 6.1 trillion"),
            ("gpu_memory", "G1.plain", "208 GB = 250 GiB"),
            ("dlp_week4", "Q3.bytes", "28 GB (32 GiB)")):
        items.append(Item(sheet, answer, text, "contradiction"))
    for sheet, answer, text in (("genai_week4", "E4.bytes_one", "350 Gb"),
                                ("gpu_memory", "G1.plain", "208 Gb"),
                                ("dlp_week4", "Q3.bytes", "28 Gbit"),
                                ("gpu_memory", "G4.kv_4k", "\\SI{3.355}{\\giga\\bit}")):
        items.append(Item(sheet, answer, text, "bits"))
    return items


def rounded_and_carried() -> list[Item]:
    """Rounded intermediates and error carried forward, computed here."""
    items = []
    for figures in (3, 4):
        target = f.rounded(GENAI["E2.L_target"], figures)
        d_new = tokens_for(target)
        items.append(Item("genai_week4", "E2.D_new", f"{d_new:.4g}", "rounded",
                          (("E2.L_target", f"{target}"),)))
        items.append(Item("genai_week4", "E2.C_new", f"{6 * N * d_new:.4g}", "rounded",
                          (("E2.L_target", f"{target}"), ("E2.D_new", f"{d_new:.4g}"))))
    for factor in (1.2, 0.8):
        d_new = GENAI["E2.D_new"] * factor
        items.append(Item("genai_week4", "E2.C_new", f"{6 * N * d_new:.4g}", "carried",
                          (("E2.D_new", f"{d_new:.4g}"),)))
    items.append(Item("genai_week4", "E4.bytes_all", "3.5e14 bytes", "carried",
                      (("E4.bytes_one", "3.5e12 bytes"),)))
    items.append(Item("gpu_memory", "G1.zero3", "52 GB", "carried", (("G1.plain", "416 GB"),)))
    return items


def all_items() -> list[Item]:
    rng = random.Random(20261202)
    truths = {"genai_week4": GENAI, "dlp_week4": DLP, "gpu_memory": GPU}
    items = [i for sheet, values in truths.items() for i in correct_items(sheet, values)]
    items += [Item("dlp_week4", a, text, "correct:truth") for a, truth in DLP_TRUTH.items()
              for text in truth_texts(truth)]
    items += [Item("gpu_memory", a, text, "correct:truth") for a, truth in GPU_TRUTH.items()
              for text in truth_texts(truth)]
    return items + mistake_items() + wrong_items(truths, rng) + rounded_and_carried()


def truth_texts(value: bool) -> list[str]:
    if value:
        return ["True", "true.", "Yes", "T", "✓", "Right", "correct", "True - because it "
                "grows with r", "Yes, only the head trains", "$\\text{True}$", "**True**"]
    return ["False", "false", "No", "F", "✗", "Wrong", "not true", "incorrect",
            "False - the weights change 15625 times per epoch", "No, every step"]


def measure(solved: dict) -> dict[str, object]:
    """Grade the labelled class; rates and counts by label family."""
    graders = {name: Grader(solved[name]) for name in ("genai_week4", "dlp_week4",
                                                       "gpu_memory")}
    counts = dict.fromkeys(("right", "rejected", "wrong", "accepted", "mistakes", "named",
                            "garbage", "confident"), 0)
    failures: list[str] = []
    for item in all_items():
        written = dict(item.context) | {item.answer: item.text}
        verdict = graders[item.sheet].grade("s", written).answers[item.answer]
        ok = verdict.verdict in ACCEPTED
        family = item.label.split(":")[0]
        if family in ("correct", "rounded", "carried"):
            counts["right"] += 1
            if not ok:
                counts["rejected"] += 1
                failures.append(f"rejected {item}: {verdict.verdict} {verdict.feedback}")
            continue
        counts["wrong"] += 1
        if ok:
            counts["accepted"] += 1
            failures.append(f"accepted {item}: {verdict.feedback}")
        if family == "mistake":
            counts["mistakes"] += 1
            wanted = item.label.split(":", 1)[1].split("|")
            named = verdict.diagnosis in wanted
            counts["named"] += named
            if not named:
                failures.append(f"not named {item}: {verdict.verdict} {verdict.diagnosis} "
                                f"{verdict.feedback}")
        if family == "bits" and verdict.diagnosis != "wrong_unit":
            failures.append(f"bits not named {item}: {verdict.diagnosis}")
            counts["mistakes"] += 1
        elif family == "bits":
            counts["mistakes"] += 1
            counts["named"] += 1
        if family == "garbage":
            counts["garbage"] += 1
            if verdict.diagnosis:
                counts["confident"] += 1
                failures.append(f"diagnosed garbage {item}: {verdict.diagnosis}")
    return {**counts,
            "false_reject": counts["rejected"] / counts["right"],
            "false_accept": counts["accepted"] / counts["wrong"],
            "named_rate": counts["named"] / counts["mistakes"] if counts["mistakes"] else 1.0,
            "failures": failures}
