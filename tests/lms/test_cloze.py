"""Moodle cloze export, re-parsed by a parser of our own: every part's values match the
pool, the syntax characters in feedback are escaped, sheet text cannot open a part."""

from __future__ import annotations

import html
import json
import re

import pytest
from lxml import etree

from derivations.cli import main
from derivations.lms.moodle import schema
from tests.variants.sheets import small

PART = re.compile(r"\{(\d+):(NUMERICAL|MULTICHOICE):((?:\\.|[^\\}])*)\}")


def parse_part(body: str) -> list[tuple[str, str, str]]:
    """(fraction, answer, feedback) of each alternative; `\\` escapes undone."""
    alternatives = re.split(r"(?<!\\)~", body)
    found = []
    for alternative in alternatives:
        match = re.fullmatch(r"(=|%(\d+)%)?((?:\\.|[^\\#])*)(?:#(.*))?", alternative, re.S)
        assert match, alternative
        fraction = "100" if match.group(1) == "=" else (match.group(2) or "0")
        unescape = lambda t: re.sub(r"\\(.)", r"\1", t or "")  # noqa: E731
        found.append((fraction, unescape(match.group(3)), unescape(match.group(4))))
    return found


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("cloze")
    sheet = root / "sheet.toml"
    text = small({"pool = 5": "pool = 3",
                  'text = "Training compute"': 'text = "Training compute {1:SHORTANSWER:=x}"'})
    sheet.write_text(text, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["variants", str(sheet), "-o", str(root), "--no-pdf",
                                "-q"]).exit_code == 0
    result = runner.invoke(main, ["export", "moodle", str(sheet), "--cloze", "--variants",
                                  str(root / "sheet.variants.json"), "-o", str(root / "c.xml")])
    assert result.exit_code == 0, result.output
    return etree.parse(str(root / "c.xml")), json.loads((root / "sheet.variants.json").read_text())


def test_one_question_per_problem_and_variant(exported):
    tree, _ = exported
    assert schema().validate(tree)
    ids = [q.findtext("idnumber") for q in tree.findall("question[@type='cloze']")]
    assert ids == ["sheet.P.v01", "sheet.P.v02", "sheet.P.v03"]


def test_parts_round_trip_to_the_pool(exported):
    tree, pool = exported
    variants = {v["id"]: v for v in pool["variants"]}
    for question in tree.findall("question[@type='cloze']"):
        vid = question.findtext("idnumber").split(".")[-1]
        text = question.findtext("questiontext/text")
        parts = PART.findall(text)
        assert [n for n, _, _ in parts] == ["1", "1"]  # our two parts, not the sheet's text
        compute, memory = (parse_part(body) for _, _, body in parts)
        right = [a for a in compute if a[0] == "100"]
        value, tolerance = (float(x) for x in right[0][1].split(":"))
        assert value == pytest.approx(variants[vid]["answers"]["P.C"]["value"], rel=1e-12)
        assert tolerance == pytest.approx(0.01 * value, rel=1e-9)
        assert any("2ND" in f.replace(" ", "") or "6ND" in f for _, _, f in compute)
        gb, _ = (float(x) for x in [a for a in memory if a[0] == "100"][0][1].split(":"))
        assert gb * 1e9 == pytest.approx(variants[vid]["answers"]["P.bytes"]["value"])
        assert "&#123;1:SHORTANSWER:=x}" in text  # the sheet's braces stay text


def test_escaping_of_syntax_characters():
    from derivations.lms.cloze import escape

    hostile = 'a } b # c ~ d / e " f \\ g <b>'
    escaped = escape(hostile)
    assert parse_part(f"=1:0#{escaped}") == [("100", "1:0", html.escape(hostile,
                                                                         quote=False))]
