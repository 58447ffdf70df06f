"""The formula library as a listing (`derive formulas`): pure text and JSON."""

from __future__ import annotations

import json

from derivations.library import TOPICS, Formula, quantity
from derivations.present import printing
from derivations.present.text import plain


def as_text(formulas: list[Formula]) -> str:
    lines: list[str] = []
    topic = None
    for item in formulas:
        if item.topic != topic:
            topic = item.topic
            lines += ["", f"== {TOPICS[topic]} ({topic})"]
        lines.append(f"{item.id:<34} {printing.text(item.equation)}")
        for name in item.symbols:
            q = quantity(name)
            unit = "" if q.unit == "1" else f" [{q.unit}]"
            lines.append(f"{'':<36}{name}: {q.meaning}{unit}")
        lines.append(f"{'':<36}source: {plain(item.source)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def as_json(formulas: list[Formula]) -> str:
    data = [{
        "id": f.id, "title": f.title, "topic": f.topic, "equation": printing.text(f.equation),
        "latex": printing.latex(f.equation), "source": plain(f.source),
        "symbols": {n: {"unit": quantity(n).unit, "meaning": quantity(n).meaning}
                    for n in f.symbols},
        "mistakes": [m.id for m in f.mistakes],
    } for f in formulas]
    return json.dumps(data, indent=2) + "\n"
