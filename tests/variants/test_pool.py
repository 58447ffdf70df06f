"""Drawing a pool: determinism, distinctness, conditions, and the values themselves
checked against formulas computed here, not by the engine."""

from __future__ import annotations

import hashlib
import json
import math
from decimal import Decimal
from pathlib import Path

import pytest

from derivations.cli import main
from tests.conftest import PROBLEMS
from tests.variants.sheets import small

DTYPE = {"fp16": 2, "bf16": 2, "fp32": 4}


def make(runner, tmp_path, text: str, *args: str, name: str = "sheet"):
    sheet = tmp_path / f"{name}.toml"
    sheet.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["variants", str(sheet), "-o", str(out), "--no-pdf", "-q",
                                  *args])
    return result, out / f"{name}.variants.json"


def test_pool_is_written_with_values_and_v00_as_written(runner, tmp_path):
    result, path = make(runner, tmp_path, small())
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text())
    assert data["sheet"] == "sheet" and data["salt"] == "test-salt"
    ids = [v["id"] for v in data["variants"]]
    assert ids == ["v00", "v01", "v02", "v03", "v04", "v05"]
    assert data["variants"][0]["givens"] == {"N": "7e9", "D": "1.4e11", "b_w": "bf16"}
    for variant in data["variants"]:
        givens = variant["givens"]
        n, d = float(givens["N"]), float(givens["D"])
        answers = variant["answers"]
        # 6ND and N times the bytes of the dtype, by hand
        assert math.isclose(answers["P.C"]["value"], 6 * n * d, rel_tol=1e-12)
        assert math.isclose(answers["P.bytes"]["value"], n * DTYPE[givens["b_w"]],
                            rel_tol=1e-12)
        assert answers["P.C"]["unit"] == "FLOP" and "FLOP" in answers["P.C"]["display"]


def test_draws_follow_the_documented_hash(runner, tmp_path):
    """N in variant k is from + step * (sha256("salt|index|N") mod count)."""
    _, path = make(runner, tmp_path, small())
    for variant in json.loads(path.read_text())["variants"][1:]:
        digest = hashlib.sha256(f"test-salt|{variant['draw']}|N".encode()).digest()
        k = int.from_bytes(digest, "big") % 9
        assert Decimal(variant["givens"]["N"]) == Decimal("1e9") + k * Decimal("1e9")
        digest = hashlib.sha256(f"test-salt|{variant['draw']}|D".encode()).digest()
        assert variant["givens"]["D"] == ["1e11", "2e11", "3e11"][
            int.from_bytes(digest, "big") % 3]


def test_same_salt_same_bytes_and_key_order_does_not_matter(runner, tmp_path):
    (tmp_path / "a").mkdir()
    _, first = make(runner, tmp_path / "a", small())
    reordered = small({'N = { from = 1e9, to = 9e9, step = 1e9 }\n': "",
                       'b_w = { choice = ["fp16", "fp32"] }\n':
                       'b_w = { choice = ["fp16", "fp32"] }\n'
                       'N = { from = 1e9, to = 9e9, step = 1e9 }\n'})
    (tmp_path / "b").mkdir()
    _, second = make(runner, tmp_path / "b", reordered)
    assert first.read_bytes() == second.read_bytes()
    (tmp_path / "c").mkdir()
    _, third = make(runner, tmp_path / "c", small({'salt = "test-salt"': 'salt = "other"'}))
    assert json.loads(third.read_text())["variants"][1]["givens"] != \
        json.loads(first.read_text())["variants"][1]["givens"]


def test_variants_are_distinct_and_meet_every_require(runner, tmp_path):
    text = small({"pool = 5": "pool = 30",
                  'require = ["P.C > 1e20"]': 'require = ["P.C > 1e21", "N >= 2e9"]'})
    result, path = make(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    variants = json.loads(path.read_text())["variants"]
    keys = [tuple(sorted(v["givens"].items())) for v in variants]
    assert len(set(keys)) == len(keys) == 31
    for variant in variants[1:]:
        assert variant["answers"]["P.C"]["value"] > 1e21
        assert float(variant["givens"]["N"]) >= 2e9


def test_distinct_by_a_subset(runner, tmp_path):
    text = small({"pool = 5": 'pool = 8\ndistinct_by = ["N"]'})
    result, path = make(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    ns = [v["givens"]["N"] for v in json.loads(path.read_text())["variants"]]
    assert len(set(ns)) == len(ns) == 9  # every N of the grid, once


@pytest.mark.parametrize(("changes", "fragment"), [
    ({"pool = 5": "pool = 60"}, "only 54 distinct combinations"),
    ({'require = ["P.C > 1e20"]': 'require = ["P.C > 1e30"]'},
     "Most rejected by 'require P.C > 1e30'"),
])
def test_too_few_variants_is_exit_2_with_the_reason_and_no_file(runner, tmp_path, changes,
                                                                fragment):
    result, path = make(runner, tmp_path, small(changes))
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr and "Traceback" not in result.output
    assert not path.exists()


def test_pool_option_overrides_the_sheet(runner, tmp_path):
    result, path = make(runner, tmp_path, small(), "--pool", "2")
    assert result.exit_code == 0
    assert len(json.loads(path.read_text())["variants"]) == 3


def test_stress_reports_ranges_and_rejections_and_writes_nothing(runner, tmp_path):
    text = small({'require = ["P.C > 1e20"]': 'require = ["P.C > 2e21"]'})
    sheet = tmp_path / "s.toml"
    sheet.write_text(text)
    result = runner.invoke(main, ["variants", str(sheet), "--stress", "40", "-o",
                                  str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "40 draws" in result.stdout and "require P.C > 2e21" in result.stdout
    assert "P.C" in result.stdout and " .. " in result.stdout
    assert not (tmp_path / "out").exists()


def test_shipped_sheets_have_pools_whose_answers_hold(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["variants", str(PROBLEMS / "dlp_week4.toml"), "-o", str(out),
                                  "--no-pdf", "-q"])
    assert result.exit_code == 0, result.output
    variants = json.loads((out / "dlp_week4.variants.json").read_text())["variants"]
    assert len(variants) == 41
    for variant in variants:
        g = {k: float(v) for k, v in variant["givens"].items()}
        steps = math.ceil(g["n_samples"] / (g["b"] * g["g"]))  # one device
        assert variant["answers"]["Q1.steps"]["value"] == steps >= 1000
        assert math.isclose(variant["answers"]["Q3.bytes"]["value"], 4 * g["N"], rel_tol=1e-12)
        assert variant["answers"]["Q5.head_params"]["value"] == 8 * g["d_model"]


COLLAPSING = Path(__file__).resolve().parent.parent / "fixtures" / "variants" / \
    "collapsing_choice.toml"


def test_a_given_or_claim_that_stops_varying_is_an_error_unless_allowed(runner, tmp_path):
    """`require P.bytes >= 4 N` refuses every fp16 draw: all dealt variants were fp32
    and nothing said so. The claim `C > 0` is true in every variant."""
    result = runner.invoke(main, ["variants", str(COLLAPSING), "-o", str(tmp_path / "o"),
                                  "--no-pdf", "-q"])
    assert result.exit_code == 2, result.output
    assert "collapsing_choice.toml:12: [random.b_w] drew 2 values but every dealt variant " \
           "has fp32" in result.stderr
    assert "claim P.positive is true in every dealt variant" in result.stderr
    assert not (tmp_path / "o").exists()
    allowed = tmp_path / "allowed.toml"
    allowed.write_text(COLLAPSING.read_text().replace(
        "pool = 6", 'pool = 6\nconstant = ["b_w", "P.positive"]'))
    result = runner.invoke(main, ["variants", str(allowed), "-o", str(tmp_path / "o"),
                                  "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "b_w: fp32 ×6 dealt, of fp16 ×" in result.stderr  # what was dealt against drawn


def test_a_draw_where_two_mistakes_coincide_is_dealt_and_named(runner, tmp_path):
    """It used to be refused ('ambiguous diagnosis'); the grader names both instead."""
    sheet = tmp_path / "w5.toml"
    sheet.write_text(small({'salt = "test-salt"': 'salt = "week5-salt"'}))
    result = runner.invoke(main, ["variants", str(sheet), "-o", str(tmp_path / "o"),
                                  "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "ambiguous diagnosis" not in result.stderr
    assert "b_w: fp16 ×" in result.stderr and "(the grader names both), e.g. v0" in \
        result.stderr


def test_stress_shows_values_kept_against_drawn_and_claims_that_never_change(runner):
    result = runner.invoke(main, ["variants", str(COLLAPSING), "--stress", "30", "-q"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    b_w = next(line for line in lines if line.strip().startswith("b_w:"))
    assert b_w.strip().startswith("b_w: fp32 ×") and " of fp16 ×" in b_w  # fp16 never kept
    assert any(line.strip().startswith("P.positive: true in all") for line in lines)


def test_a_pool_vetted_on_two_processes_is_the_pool_vetted_on_one(runner, tmp_path):
    """Repeats and refusals are decided in draw order either way, so the bytes agree,
    and so does what the summary says was refused and why."""
    text = small({"N = { from = 1e9, to = 9e9, step = 1e9 }":
                  "N = { from = 1e9, to = 6e10, step = 1e9 }",
                  'salt = "test-salt"': 'salt = "test-salt"\ndistinct_by = ["N"]',
                  "pool = 5": "pool = 40", "P.C > 1e20": "P.C > 6e21"})
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(text, encoding="utf-8")
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = runner.invoke(main, ["variants", str(sheet), "-o", str(out), "--no-pdf",
                                      "-j", jobs])
        assert result.exit_code == 0, result.output
        outputs[jobs] = ((out / "sheet.variants.json").read_bytes(),
                         [line for line in result.output.splitlines() if "refused" in line
                          or "rejected" in line])
    assert outputs["1"] == outputs["2"]
    data = json.loads(outputs["1"][0])
    ns = [float(v["givens"]["N"]) for v in data["variants"]]
    assert len(set(ns)) == len(ns) == 41  # distinct by N, and every one meets the require
    for variant in data["variants"][1:]:
        assert 6 * float(variant["givens"]["N"]) * float(variant["givens"]["D"]) > 6e21
    assert outputs["1"][1], "the summary names the refused draws"


def test_steps_of_a_variant_vetted_elsewhere_are_solved_again_on_demand(tmp_path):
    from derivations.pipeline import read_sheet
    from derivations.present.text import display_text
    from derivations.variants.pool import build_pool

    path = tmp_path / "sheet.toml"
    path.write_text(small({"pool = 5": "pool = 12"}), encoding="utf-8")
    pool = build_pool(read_sheet(path), jobs=2)
    for variant in pool.variants[1:]:
        assert variant.solved is None  # left in the worker
        solution = variant.solution
        assert {aid: display_text(a) for aid, a in solution.answers.items()} == \
            {aid: a["display"] for aid, a in variant.answers.items()}
        n, d = (float(variant.givens[k]) for k in ("N", "D"))
        assert solution.answers["P.C"].as_float() == pytest.approx(6 * n * d, rel=1e-12)


def test_a_stress_report_on_two_processes_is_the_report_on_one(runner, tmp_path):
    sheet = tmp_path / "s.toml"
    sheet.write_text(small({'require = ["P.C > 1e20"]': 'require = ["P.C > 2e21"]'}))
    reports = [runner.invoke(main, ["variants", str(sheet), "--stress", "120", "-q", "-j",
                                    jobs]) for jobs in ("1", "2")]
    assert all(r.exit_code == 0 for r in reports), reports[0].output
    assert reports[0].stdout == reports[1].stdout
    assert "120 draws" in reports[0].stdout and "require P.C > 2e21" in reports[0].stdout
