"""The `derive` commands as a user runs them (click's CliRunner)."""

from __future__ import annotations

import json

from derivations import __version__
from derivations.cli import main
from tests.conftest import PROBLEMS

GENAI = str(PROBLEMS / "genai_week4.toml")


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_help_teaches(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for word in ("solve", "formulas", "Examples", "derive solve problems/genai_week4.toml"):
        assert word in result.output


def test_solve_json_contract(runner):
    result = runner.invoke(main, ["solve", GENAI, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sheet"] == "genai_week4"
    answer = data["answers"]["E1.C"]
    assert set(answer) >= {"value", "unit", "display", "latex"}
    assert answer["unit"] == "FLOP"
    assert abs(answer["value"] / 1.6482e24 - 1) < 1e-12
    assert "10^24" in answer["display"]
    kinds = [step["kind"] for step in data["answers"]["E2.D_new"]["steps"]]
    assert kinds == ["formula", "rearranged", "substituted", "result"]
    assert data["answers"]["E2.D_new"]["notes"]


def test_value_is_canonical_whatever_the_display_unit(runner):
    data = json.loads(runner.invoke(main, ["solve", GENAI, "--format", "json"]).output)
    assert data["answers"]["E5.bytes"]["value"] == 57982058496
    assert data["answers"]["E5.bytes"]["unit"] == "byte"
    assert data["answers"]["E5.bytes"]["display"].startswith("54 GiB")


def test_truefalse_values_are_booleans(runner):
    result = runner.invoke(main, ["solve", str(PROBLEMS / "dlp_week4.toml"), "--format", "json"])
    data = json.loads(result.output)
    assert data["answers"]["Q2.answer"]["value"] is False
    assert data["answers"]["Q8.answer"]["value"] is True


def test_one_problem_only(runner):
    result = runner.invoke(main, ["solve", GENAI, "--problem", "E3"])
    assert result.exit_code == 0
    assert "E3.D_new" in result.output and "E2.D_new" not in result.output
    assert "5.350 × 10^12 tokens" in result.output


def test_text_shows_every_step(runner):
    output = runner.invoke(main, ["solve", GENAI, "--problem", "E2"]).output
    assert "rearranged   D = (B/(L - E - A/N**alpha))**(1/beta)" in output
    assert "substituted  D = (410.7/(1.87655 - 1.69 - 406.4/(6.7e10)**0.34))**(1/0.28)" \
        in output
    assert "answer       D = 7.544 × 10^12 tokens" in output
    assert "Sensitive: d ln D/d ln L = −65.8" in output


def test_latex_output(runner):
    output = runner.invoke(main, ["solve", GENAI, "--problem", "E6", "--format", "latex"]).output
    assert r"\begin{align*}" in output
    assert r"\boxed{\num{36}~\text{MiB}" in output


def test_output_file(runner, tmp_path):
    out = tmp_path / "sub" / "genai.json"
    result = runner.invoke(main, ["solve", GENAI, "--format", "json", "-o", str(out)])
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(out.read_text())["sheet"] == "genai_week4"


def test_formulas_listing(runner):
    result = runner.invoke(main, ["formulas", "--topic", "finetuning"])
    assert result.exit_code == 0
    assert "lora_params" in result.output and "P = m*n_layers*r*(d_in + d_out)" in result.output
    assert "chinchilla_loss" not in result.output


def test_formulas_json(runner):
    data = json.loads(runner.invoke(main, ["formulas", "--format", "json"]).output)
    ids = {item["id"] for item in data}
    assert {"training_compute", "chinchilla_loss", "lora_params", "steps_per_epoch",
            "absmax_quantize"} <= ids


def test_unknown_topic(runner):
    result = runner.invoke(main, ["formulas", "--topic", "memroy"])
    assert result.exit_code == 2
    assert "unknown topic 'memroy' (did you mean 'memory'?)" in result.stderr
