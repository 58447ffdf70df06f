"""One library formula solved by the engine from a sheet of givens, as a user would."""

from __future__ import annotations

from derivations.sheet.spec import load_sheet
from derivations.solver import engine


def solve_one(formula_id: str, givens: dict[str, float | int | str]) -> float:
    """The value of one ask of `formula_id` (canonical units) from these givens."""
    lines = ['title = "one ask"', "[given]"]
    lines += [f'{name} = "{value}"' if isinstance(value, str) else f"{name} = {value}"
              for name, value in givens.items()]
    lines += ["[[problems]]", 'id = "E1"', "[[problems.asks]]", 'id = "x"',
              f'formula = "{formula_id}"']
    sheet = load_sheet("\n".join(lines) + "\n", "one-ask.toml", "one-ask")
    return engine.solution_of(sheet).answers["E1.x"].as_float()
