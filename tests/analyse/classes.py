"""Generated classes of genai_week4, graded by `derive check`, for the analysis tests."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from derivations.analyse.known import known_variants, pool_variants
from derivations.analyse.results import ClassResults, read_results
from derivations.analyse.simulate import Plan, simulated_class
from derivations.cli.main import main
from derivations.pipeline import solve_file

ROOT = Path(__file__).resolve().parents[2]
SHEET = ROOT / "problems" / "genai_week4.toml"


class Pool:
    """The week-4 pool drawn into `folder`, and what is known of each variant."""

    def __init__(self, folder: Path, sheet: Path = SHEET) -> None:
        self.folder, self.sheet = folder, folder / sheet.name
        self.sheet.write_text(sheet.read_text())
        result = CliRunner().invoke(main, ["variants", str(self.sheet), "-o", str(folder),
                                           "--no-pdf", "--no-tests", "-q"])
        assert result.exit_code == 0, result.output
        self.file = folder / f"{sheet.stem}.variants.json"
        written = solve_file(self.sheet)
        self.loaded = written.sheet
        self.known = known_variants(written.sheet, written,
                                    (self.file, pool_variants(written.sheet, self.file)))

    def graded(self, plan: Plan, name: str, sheet: Path | None = None) -> Path:
        """The class of `plan` graded by `derive check` (JSON results)."""
        answers = self.folder / f"{name}.csv"
        answers.write_text(simulated_class(self.known, plan))
        out = self.folder / f"{name}.json"
        result = CliRunner().invoke(main, ["check", str(sheet or self.sheet), str(answers),
                                           "--variants", str(self.file), "--format", "json",
                                           "-o", str(out), "--exit-zero"])
        assert result.exit_code == 0, result.output
        return out

    def results(self, path: Path) -> ClassResults:
        return read_results([path], self.loaded)


def students_with(results: Path, answer: str, diagnosis: str) -> set[str]:
    data = json.loads(results.read_text())
    return {s["student"] for s in data["students"]
            if s["answers"][answer]["diagnosis"] == diagnosis}
