"""Item analysis and the results reader on small classes worked by hand."""

import json

import pytest

from derivations.analyse.items import fairness, item_analysis
from derivations.analyse.results import ClassResults, Record, Response, read_results
from derivations.errors import SpecError
from tests.conftest import load


def _record(name, credits, variant=""):
    return Record(name, variant, "f", {aid: Response(
        "correct" if c == 1 else "wrong", c, 1.0, "" if c else "factor_of_2")
        for aid, c in credits.items()})


def test_facility_discrimination_and_point_biserial_by_hand():
    # ten students; Q1 right for the six best, Q2 right for everyone but s9
    rows = [{"Q1": 1 if i < 6 else 0, "Q2": 0 if i == 9 else 1, "Q3": 1 if i < 8 else 0}
            for i in range(10)]
    results = ClassResults("x", ["Q1", "Q2", "Q3"],
                           [_record(f"s{i}", row) for i, row in enumerate(rows)])
    stats = {s.answer: s for s in item_analysis(results)}
    assert stats["Q1"].facility == pytest.approx(0.6)
    # 27% of 10 rounds to 3: top s0-s2 all right, bottom s7-s9 all wrong on Q1
    assert stats["Q1"].discrimination == pytest.approx(1.0)
    # Q2 on the rest (Q1 + Q3)/2: s0-5 -> 1, s6-7 -> 0.5, s8-9 -> 0; Q2 = 1 but s9.
    # mean Q2 0.9, rest mean 0.7; sxy = 0.06+...: worked below from the definition
    q2 = [r["Q2"] for r in rows]
    rest = [(r["Q1"] + r["Q3"]) / 2 for r in rows]
    mq, mr = sum(q2) / 10, sum(rest) / 10
    sxy = sum((a - mq) * (b - mr) for a, b in zip(q2, rest, strict=False))
    sxx = sum((a - mq) ** 2 for a in q2)
    syy = sum((b - mr) ** 2 for b in rest)
    assert stats["Q2"].point_biserial == pytest.approx(sxy / (sxx * syy) ** 0.5)
    assert stats["Q1"].diagnoses == {"factor_of_2": pytest.approx(0.4)}


def test_discrimination_needs_ten_students():
    results = ClassResults("x", ["Q1"], [_record("a", {"Q1": 1}), _record("b", {"Q1": 0})])
    assert item_analysis(results)[0].discrimination is None


def test_small_variants_are_listed_not_tested():
    results = ClassResults("x", ["Q1"], [_record(f"s{i}", {"Q1": i % 2}, f"v0{i % 3}")
                                         for i in range(9)])
    found = fairness(results, 99)
    assert found.p_value is None and "fewer than 2 variants" in found.reason
    assert [v.students for v in found.variants] == [3, 3, 3]


def _write(tmp_path, data, name="r.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_results_of_another_sheet_or_not_results_are_refused(tmp_path):
    sheet = load("genai_week4")
    with pytest.raises(SpecError, match="not of the sheet"):
        read_results([_write(tmp_path, {"sheet": "other", "students": []})], sheet)
    with pytest.raises(SpecError, match="expected the JSON"):
        read_results([_write(tmp_path, [1, 2])], sheet)
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(SpecError, match="not the JSON"):
        read_results([bad], sheet)


def test_one_bad_student_is_left_out_with_a_located_warning(tmp_path):
    sheet = load("genai_week4")
    good = {"student": "a", "answers": {"E1.C": {"verdict": "correct", "points": 1, "max": 1,
                                                 "given": 1.6e24, "diagnosis": ""}}}
    bad = {"student": "b", "answers": {"E1.C": {"verdict": "brilliant", "points": 1, "max": 1}}}
    path = _write(tmp_path, {"sheet": "genai_week4", "students": [good, bad, good]})
    found = read_results([path], sheet)
    assert [r.student for r in found.records] == ["a (r)", "a (r)"]
    assert any("students[1]" in w and "verdict" in w for w in found.warnings)
    assert any("appears 2 times" in w for w in found.warnings)
