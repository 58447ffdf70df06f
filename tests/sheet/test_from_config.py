"""`derive sheet from-config`: sheets from the shipped Hugging Face configs, checked
against the model cards' parameter counts and arithmetic done here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derivations.cli import main
from derivations.pipeline import read_sheet
from derivations.sheet.from_config import FAMILIES
from derivations.solver import engine

CONFIGS = Path(__file__).resolve().parents[1] / "fixtures" / "configs"


def dense(d, heads, kv, ff, layers, vocab, gated, tied):
    attention = 2 * d * d + 2 * d * d * kv // heads
    mlp = (3 if gated else 2) * d * ff
    return layers * (attention + mlp + 2 * d) + (1 if tied else 2) * vocab * d + d


#: config -> (parameters, active parameters); model-card counts where they are exact
EXPECTED = {
    "llama-2-7b": (6_738_415_616, None),
    "llama-2-70b": (68_976_648_192, None),
    "mistral-7b": (7_241_732_096, None),
    "mixtral-8x7b": (46_702_792_704, 12_879_925_248),
    # biases and learned positions are not counted (module docstring): our arithmetic
    "gpt-neox-20b": (dense(6144, 64, 64, 24576, 44, 50432, False, False), None),
    "opt-1.3b": (dense(2048, 32, 32, 8192, 24, 50272, False, True), None),
}


def generate(runner, tmp_path, name: str, *args: str):
    out = tmp_path / f"{name}.toml"
    result = runner.invoke(main, ["sheet", "from-config", str(CONFIGS / f"{name}.json"),
                                  "-o", str(out), *args])
    return result, out


def test_a_fixture_for_every_family():
    families = {json.loads(path.read_text())["model_type"] for path in CONFIGS.glob("*.json")}
    assert families == set(FAMILIES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parameters_from_the_config(runner, tmp_path, name):
    result, out = generate(runner, tmp_path, name)
    assert result.exit_code == 0, result.output
    answers = engine.solution_of(read_sheet(out)).answers
    total, active = EXPECTED[name]
    assert answers["E1.N"].value == total
    if active is not None:
        assert answers["E1.N_act"].value == active
        assert answers["E2.C"].as_float() == pytest.approx(6 * active * 1e12, rel=1e-12)
    else:
        assert answers["E2.C"].as_float() == pytest.approx(6 * total * 1e12, rel=1e-12)


def test_the_layout_reaches_the_memory_and_latency_asks(runner, tmp_path):
    result, out = generate(runner, tmp_path, "llama-2-70b", "--gpus", "64", "--tp", "8",
                           "--pp", "2", "--zero", "1", "--batch", "4", "--seq", "2048")
    assert result.exit_code == 0, result.output
    answers = engine.solution_of(read_sheet(out)).answers
    n = 68_976_648_192
    assert answers["E3.M_ms"].as_float() == pytest.approx((2 + 2 + 12 / 4) * n / 16)
    kv = 2 * 80 * 8 * 128 * 2048 * 4 * 2
    assert answers["E4.M_kv"].as_float() == pytest.approx(kv)
    step = (2 * n + kv) / (64 * 2039e9)
    assert answers["E5.T_tok"].as_float() == pytest.approx(step)
    assert answers["E5.R_gen"].as_float() == pytest.approx(4 / step)
    assert answers["E5.K_1k"].as_float() == pytest.approx(1000 * 64 * 2 / (3600 * 4 / step))


@pytest.mark.parametrize(("config", "fragment"), [
    ("{not json", "not JSON"),
    ("[1, 2]", "expected a JSON object"),
    ('{"model_type": "bert"}', "[model_type] 'bert' is not supported"),
    ('{"model_type": "llama", "hidden_size": 4096}', "[num_attention_heads] expected a"),
    ('{"model_type": "llama", "hidden_size": -1, "num_attention_heads": 32}',
     "[hidden_size] expected a positive whole number, got -1"),
    ('{"model_type": "opt", "hidden_size": true, "num_attention_heads": 32}',
     "[hidden_size] expected a positive whole number, got True"),
    ('{"model_type": "llama", "hidden_size": 100, "num_attention_heads": 32, '
     '"intermediate_size": 1, "num_hidden_layers": 1, "vocab_size": 1}', "not a multiple"),
])
def test_a_bad_config_is_one_located_line_and_no_file(runner, tmp_path, config, fragment):
    path = tmp_path / "config.json"
    path.write_text(config, encoding="utf-8")
    out = tmp_path / "sheet.toml"
    result = runner.invoke(main, ["sheet", "from-config", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr and "config.json" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_a_layout_that_does_not_divide_the_gpus_is_refused(runner, tmp_path):
    result, out = generate(runner, tmp_path, "llama-2-7b", "--gpus", "12", "--tp", "8")
    assert result.exit_code == 2 and "not a multiple of --tp 8" in result.stderr
    assert not out.exists()


def test_the_config_values_are_data(runner, tmp_path):
    """A name with TOML or template syntax in it is written as a string, escaped."""
    data = json.loads((CONFIGS / "llama-2-7b.json").read_text())
    data["_name_or_path"] = 'evil"\n[given]\nN = 1 {{N}} \\\\'
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "sheet.toml"
    result = runner.invoke(main, ["sheet", "from-config", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = read_sheet(out)
    assert sheet.title == "Sizing evilgivenN1N"  # only letters, digits and . _ / + -
    assert "N" not in sheet.given  # nothing injected
