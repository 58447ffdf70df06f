"""Canvas QTI package: ranges survive the round trip through text2qti, every prose is
literal, nothing is read from disk, and the package is reproducible."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from lxml import etree

from derivations.cli import main
from tests.variants.sheets import small


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("canvas")
    sheet = root / "sheet.toml"
    sheet.write_text(small({"pool = 5": "pool = 4"}), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["variants", str(sheet), "-o", str(root), "--no-pdf",
                                "-q"]).exit_code == 0
    args = ["export", "canvas", str(sheet), "--variants", str(root / "sheet.variants.json"),
            "-o", str(root / "q.zip")]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, [*args[:-1], str(root / "again.zip")])
    assert again.exit_code == 0
    return root, json.loads((root / "sheet.variants.json").read_text())


def assessment(path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        (name,) = [n for n in package.namelist() if n.endswith(".xml") and "/text2qti_" in n
                   and "meta" not in n]
        return etree.fromstring(package.read(name))


def by_tag(root) -> dict[str, tuple[str, list[float], str]]:
    """`[sheet.answer.variant]` tag -> (question html, range bounds, unit asked)."""
    found = {}
    ns = root.nsmap.get(None)
    prefix = f"{{{ns}}}" if ns else ""
    for item in root.iter(f"{prefix}item"):
        text = item.find(f".//{prefix}mattext").text
        tag = re.search(r"\[(\w+\.\w+\.\w+\.v\d+)\]", text).group(1)
        bounds = [float(n.text) for n in item.iter(f"{prefix}vargte", f"{prefix}varlte",
                                                   f"{prefix}varequal")]
        unit = re.search(r"Answer in ([^<]*?)\.(?:&lt;|<|$)", text)
        found[tag] = (text, bounds, unit.group(1) if unit else "")
    return found


def expected_range(value: float, unit: str) -> tuple[float, float, float]:
    """The answer in the unit the question names, and its exact 1% range."""
    units = {"GB": 1e9, "MB": 1e6, "TB": 1e12}
    if unit in units:
        factor = units[unit]
    else:
        power = re.match(r"10\^(-?\d+)", unit)
        factor = 10.0 ** int(power.group(1)) if power else 1.0
    scaled = value / factor
    return scaled, scaled * 0.99, scaled * 1.01


def test_every_range_round_trips_to_the_pool(exported):
    root, pool = exported
    questions = by_tag(assessment(root / "q.zip"))
    variants = {v["id"]: v for v in pool["variants"]}
    assert len(questions) == 2 * 4  # two answers, four dealt variants
    for tag, (_, bounds, unit) in questions.items():
        _, problem, ask, vid = tag.split(".")
        value = variants[vid]["answers"][f"{problem}.{ask}"]["value"]
        scaled, low, high = expected_range(value, unit)
        assert 1 <= scaled < 1000, (tag, scaled, unit)
        written_low, written_high = bounds
        # rounded outwards to 4 decimals: never narrower, at most 0.0001 wider
        assert low - 1.0001e-4 <= written_low <= low + 1e-9, (tag, bounds, low)
        assert high - 1e-9 <= written_high <= high + 1.0001e-4, (tag, bounds, high)
        assert all(round(b, 4) == b and abs(b) >= 1e-4 for b in bounds)


def test_one_group_per_answer_picking_one_variant(exported):
    root, _ = exported
    tree = assessment(root / "q.zip")
    ns = tree.nsmap.get(None)
    prefix = f"{{{ns}}}" if ns else ""
    picks = [int(n.text) for n in tree.iter(f"{prefix}selection_number")]
    assert picks == [1, 1]


def test_package_is_reproducible(exported):
    root, _ = exported
    assert (root / "q.zip").read_bytes() == (root / "again.zip").read_bytes()


def test_prose_is_literal_and_nothing_is_read_from_disk(tmp_path, runner):
    hostile = small({"A model of {{N}}": "<script>x</script> ![p](/etc/passwd) $x^2$ "
                     "```{.python .run} [l](javascript:alert(1)) A model of {{N}}"})
    sheet = tmp_path / "h.toml"
    sheet.write_text(hostile, encoding="utf-8")
    result = runner.invoke(main, ["export", "canvas", str(sheet), "-o", str(tmp_path / "q.zip"),
                                  "--text", str(tmp_path / "q.txt")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(io.BytesIO((tmp_path / "q.zip").read_bytes())) as package:
        assert not [n for n in package.namelist() if "images" in n]
    for text, _, _ in by_tag(assessment(tmp_path / "q.zip")).values():
        html = etree.fromstring(f"<div>{text}</div>")  # the escaped HTML of the question
        inner = "".join(html.itertext())
        assert "<script>x</script>" in inner and "![p](/etc/passwd)" in inner
        assert "x²" in inner and "equation_image" not in inner  # our math, as Unicode
        assert "<a " not in inner and "<img" not in inner


def test_output_must_be_a_zip(tmp_path, runner):
    sheet = tmp_path / "s.toml"
    sheet.write_text(small())
    result = runner.invoke(main, ["export", "canvas", str(sheet), "-o", str(tmp_path / "q.xml")])
    assert result.exit_code == 2 and "must be a .zip path" in result.output
