"""Grade-import CSVs for Canvas, Moodle and Gradescope."""

from __future__ import annotations

import csv
import io

import pytest

from derivations.cli import main
from tests.conftest import PROBLEMS

N, D = 67e9, 4.1e12


@pytest.fixture
def answers(tmp_path):
    path = tmp_path / "class.csv"
    path.write_text("student,E1.C,E1.L\n"
                    f"00123,{6 * N * D:.4g},1.896\n"
                    f"=HYPERLINK(1),{2 * N * D:.4g},1.896\n")
    return path


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(("lms", "header"), [
    ("canvas", ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "genai_week4"]),
    ("moodle", ["ID number", "genai_week4 grade", "genai_week4 feedback"]),
    ("gradescope", ["Name", "SID", "Email", "Score"]),
])
def test_gradebook_files(runner, tmp_path, answers, lms, header):
    out = tmp_path / "grades.csv"
    result = runner.invoke(main, ["check", str(PROBLEMS / "genai_week4.toml"), str(answers),
                                  "--gradebook", lms, "-o", str(out)])
    assert result.exit_code == 1, result.output  # most answers are missing
    table = rows(out.read_text())
    assert table[0] == header and len(table) == 3
    first, second = table[1], table[2]
    assert "00123" in first and "2.0" in first  # E1.C and E1.L right
    key = {"canvas": 2, "moodle": 0, "gradescope": 1}[lms]  # the column the LMS matches on
    assert second[key] == "=HYPERLINK(1)"  # an id is matched byte for byte
    names = [cell for k, cell in enumerate(second) if k != key and "HYPERLINK" in cell]
    assert all(cell.startswith("'") for cell in names)  # a name or a note is neutralised
    assert "1.0" in second
    if lms == "moodle":
        assert "E1.C: wrong" in second[2] and "2ND" in second[2].replace(" ", "")
    if lms == "gradescope":
        assert out.read_text().splitlines()[1].startswith('"00123","00123"')
