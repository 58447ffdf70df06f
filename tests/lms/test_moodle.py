"""Moodle XML export: valid against the schema of what we emit, every value round-trips
to variants.json, tolerances never overlap, every known mistake carries feedback."""

from __future__ import annotations

import html
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from lxml import etree

from derivations.cli import main
from derivations.grade.grader import Grader
from derivations.lms.moodle import schema
from derivations.sheet.spec import load_sheet
from derivations.solver import engine
from tests.conftest import PROBLEMS
from tests.render.pages import Page
from tests.variants.sheets import small

FACTORS = {"FLOP": 1, "GB": 10**9, "TB": 10**12, "GiB": 2**30, "MiB": 2**20, "token": 1,
           "tokens": 1, "parameters": 1, "epochs": 1}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("moodle")
    sheet = root / "sheet.toml"
    sheet.write_text(small({"pool = 5": "pool = 3"}), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["variants", str(sheet), "-o", str(root), "--no-pdf",
                                "-q"]).exit_code == 0
    result = runner.invoke(main, ["export", "moodle", str(sheet), "--variants",
                                  str(root / "sheet.variants.json"), "-o", str(root / "q.xml")])
    assert result.exit_code == 0, result.output
    pool = json.loads((root / "sheet.variants.json").read_text())
    return etree.parse(str(root / "q.xml")), pool, result.stderr


def intervals(question) -> list[tuple[str, float, float, str]]:
    found = []
    for answer in question.findall("answer"):
        value, tolerance = float(answer.findtext("text")), float(answer.findtext("tolerance"))
        found.append((answer.get("fraction"), value - tolerance, value + tolerance,
                      answer.findtext("feedback/text")))
    return found


def test_valid_and_organised_by_answer_and_variant(exported):
    tree, pool, stderr = exported
    assert schema().validate(tree)
    categories = [q.findtext("category/text") for q in tree.findall("question[@type='category']")]
    assert categories == ["$course$/sheet/P/P.C", "$course$/sheet/P/P.bytes"]
    ids = [q.findtext("idnumber") for q in tree.findall("question[@type='numerical']")]
    assert ids == [f"sheet.{a}.{v}" for a in ("P.C", "P.bytes") for v in ("v01", "v02", "v03")]
    assert "6 questions" in stderr


def test_right_values_round_trip_to_the_pool(exported):
    tree, pool, _ = exported
    stored = {v["id"]: v for v in pool["variants"]}
    for question in tree.findall("question[@type='numerical']"):
        _, problem, ask, vid = question.findtext("idnumber").split(".")
        answer_id = f"{problem}.{ask}"
        right = next(a for a in question.findall("answer") if a.get("fraction") == "100")
        base = question.find("units/unit")
        assert base.findtext("multiplier") == "1"
        value = float(right.findtext("text")) * FACTORS[base.findtext("unit_name")]
        expected = stored[vid]["answers"][answer_id]["value"]
        assert value == pytest.approx(expected, rel=1e-12)
        tolerance = float(right.findtext("tolerance")) * FACTORS[base.findtext("unit_name")]
        assert tolerance == pytest.approx(0.01 * expected, rel=1e-9)  # 1%, made absolute


def test_mistakes_never_overlap_the_right_answer_or_each_other(exported):
    tree, _, _ = exported
    for question in tree.findall("question[@type='numerical']"):
        spans = sorted(intervals(question), key=lambda s: s[1])
        for (_, _, high, _), (_, low, _, _) in zip(spans, spans[1:], strict=False):
            assert high < low, question.findtext("idnumber")


def test_every_known_mistake_has_feedback():
    sheet = load_sheet(small(), "s.toml", "s")
    solution = engine.solution_of(sheet)
    from derivations.lms.moodle import export

    tree = etree.fromstring(export(sheet, [("v00", solution)]).xml)
    for answer_id, key in Grader(solution).keys.items():
        question = next(q for q in tree.findall("question[@type='numerical']")
                        if q.findtext("idnumber") == f"s.{answer_id}.v00")
        feedback = " ".join(a.findtext("feedback/text") for a in question.findall("answer"))
        for slip in key.slips:
            for words in words_of(slip.feedback):
                assert words in feedback, (answer_id, slip.feedback)


def words_of(feedback: str) -> list[str]:
    """The prose around a feedback's formulas, as HTML escapes it (the formulas
    themselves are MathML)."""
    from derivations.present.prose import markup

    return [html.escape(p, quote=True) for p in markup(feedback).parts
            if isinstance(p, str) and p.strip()]


def test_units_have_exact_multipliers(exported):
    tree, _, _ = exported
    question = next(q for q in tree.findall("question[@type='numerical']")
                    if ".P.bytes." in q.findtext("idnumber"))
    units = {u.findtext("unit_name"): u.findtext("multiplier")
             for u in question.findall("units/unit")}
    assert Fraction(Decimal(units["GiB"])) == Fraction(10**9, 2**30)
    assert units["MB"] == "1000" and units["GB"] == "1"


def test_question_text_is_escaped_and_shows_no_answer(tmp_path, runner):
    hostile = small({"A model of {{N}}": "<script>alert(1)</script> A model of {{N}}"})
    sheet = tmp_path / "h.toml"
    sheet.write_text(hostile, encoding="utf-8")
    result = runner.invoke(main, ["export", "moodle", str(sheet), "-o", str(tmp_path / "q.xml")])
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(tmp_path / "q.xml"))
    solution = engine.solution_of(load_sheet(hostile, "h.toml", "h"))
    for question in tree.findall("question[@type='numerical']"):
        page = Page(question.findtext("questiontext/text"))
        assert "script" not in page.tags() and "<script>alert(1)</script>" in page.text
        shown = solution.answers[question.findtext("idnumber").split(".", 1)[1][:-4]]
        from derivations.present.text import display_text

        assert display_text(shown).split(" ")[0] not in page.text
        feedback = Page(question.findtext("generalfeedback/text"))
        assert "math" in feedback.tags() and "script" not in feedback.tags()


def test_true_false_asks_and_shipped_sheet(tmp_path, runner):
    result = runner.invoke(main, ["export", "moodle", str(PROBLEMS / "dlp_week4.toml"), "-o",
                                  str(tmp_path / "q.xml")])
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(tmp_path / "q.xml"))
    assert schema().validate(tree)
    truefalse = tree.findall("question[@type='truefalse']")
    sheet = (PROBLEMS / "dlp_week4.toml").read_text()
    assert len(truefalse) == sheet.count('kind = "truefalse"') == 4
    q2 = next(q for q in truefalse if q.findtext("idnumber") == "dlp_week4.Q2.answer.v00")
    right = next(a for a in q2.findall("answer") if a.get("fraction") == "100")
    assert right.findtext("text") == "false"


def test_output_must_be_xml(tmp_path, runner):
    result = runner.invoke(main, ["export", "moodle", str(PROBLEMS / "dlp_week4.toml"), "-o",
                                  str(tmp_path / "q.txt")])
    assert result.exit_code == 2 and "must be an .xml path" in result.output


def test_plots_travel_as_svg_files_of_the_general_feedback(tmp_path, runner):
    import base64

    result = runner.invoke(main, ["export", "moodle", str(PROBLEMS / "genai_week4.toml"),
                                  "-o", str(tmp_path / "q.xml")])
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(tmp_path / "q.xml"))
    assert schema().validate(tree)
    question = next(q for q in tree.findall("question[@type='numerical']")
                    if q.findtext("idnumber") == "genai_week4.E2.D_new.v00")
    files = question.findall("generalfeedback/file")
    assert [f.get("name") for f in files] == ["loss_vs_tokens.svg"]
    assert "@@PLUGINFILE@@/loss_vs_tokens.svg" in question.findtext("generalfeedback/text")
    svg = etree.fromstring(base64.b64decode(files[0].text))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.find("{http://www.w3.org/2000/svg}polyline") is not None
    other = next(q for q in tree.findall("question[@type='numerical']")
                 if q.findtext("idnumber") == "genai_week4.E1.C.v00")
    assert not other.findall("generalfeedback/file")  # the plot belongs to E2
