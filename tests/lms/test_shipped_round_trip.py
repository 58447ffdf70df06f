"""The done-when of the LMS issue on the shipped genai_week4 sheet: a pool of 40
variants exported to Moodle and Canvas, every value round-tripped, every known mistake
carried as feedback."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from lxml import etree

from derivations.cli import main
from derivations.grade.grader import Grader
from derivations.lms.moodle import schema
from derivations.sheet.spec import load_sheet
from derivations.variants.store import read_pool, solve_stored
from tests.conftest import PROBLEMS
from tests.lms.test_moodle import words_of

SHEET = PROBLEMS / "genai_week4.toml"


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("genai")
    runner = CliRunner()
    result = runner.invoke(main, ["variants", str(SHEET), "-o", str(out), "--no-pdf", "-q"])
    assert result.exit_code == 0, result.output
    pool = out / "genai_week4.variants.json"
    for kind, name in (("moodle", "quiz.xml"), ("canvas", "quiz.zip")):
        result = runner.invoke(main, ["export", kind, str(SHEET), "--variants", str(pool),
                                      "-o", str(out / name), "-q"])
        assert result.exit_code == 0, result.output
    return out, pool


def test_moodle_has_every_variant_value_and_mistake(exports):
    out, pool = exports
    tree = etree.parse(str(out / "quiz.xml"))
    assert schema().validate(tree)
    sheet = load_sheet(SHEET.read_text(), str(SHEET), "genai_week4")
    stored = read_pool(pool.read_text(), str(pool), sheet)
    questions = {q.findtext("idnumber"): q for q in tree.findall("question[@type='numerical']")}
    assert len(questions) == 16 * 40
    for vid, item in stored.items():
        if vid == "v00":
            continue
        keys = Grader(solve_stored(sheet, item, str(pool))).keys
        for answer_id, key in keys.items():
            question = questions[f"genai_week4.{answer_id}.{vid}"]
            right = next(a for a in question.findall("answer") if a.get("fraction") == "100")
            base = float(question.find("units/unit").findtext("multiplier")) \
                if question.find("units/unit") is not None else 1.0
            assert base == 1.0
            assert json.loads(json.dumps(item.answers[answer_id]["value"])) == pytest.approx(
                float(right.findtext("text")) * _factor(question), rel=1e-12)
            said = " ".join(a.findtext("feedback/text") for a in question.findall("answer"))
            for slip in key.slips:
                if abs(slip.value - key.expected) <= key.tolerance * abs(key.expected):
                    continue  # inside the right answer's range: left out, and reported
                for words in words_of(slip.feedback):
                    assert words in said, (answer_id, vid, slip.feedback)


def _factor(question) -> float:
    """Canonical units per display unit, read from the question's first unit name."""
    from derivations.library.units import UNITS

    unit = question.find("units/unit")
    if unit is None:
        return 1.0
    name = unit.findtext("unit_name")
    singular = {"tokens": "token", "parameters": "parameter", "epochs": "epoch"}.get(name, name)
    return float(UNITS[singular].factor)


def test_canvas_has_a_group_per_answer_and_every_variant(exports):
    out, pool = exports
    with zipfile.ZipFile(out / "quiz.zip") as package:
        (name,) = [n for n in package.namelist() if re.search(r"/text2qti_assessment_\w+\.xml$",
                                                              n)]
        xml = package.read(name).decode()
    tags = re.findall(r"\[genai_week4\.(\w+\.\w+)\.(v\d+)\]", xml)
    assert len(tags) == 16 * 40 and len(set(tags)) == 16 * 40
    assert xml.count("<selection_number>1</selection_number>") == 16
