"""A variant's difficulty predicted from its numbers, before any student sees it.

The variants of a pool share their closed forms; what differs is the numbers. Four
features of a variant's numbers make hand arithmetic harder or easier:

- **digits**: the significant digits of the drawn givens (6.7e10 carries 2, 6.73e10 3);
- **elasticity**: the largest |d ln answer / d ln input| over its answers, how much an
  early rounding moves a late answer;
- **size**: the mean |log10| of its answers in their display units (2.6 epochs is
  nearer at hand than 3.0e-5 or 7.5e12);
- **coincidences**: the known mistakes whose value falls within the tolerance of the
  right answer, which the grader must then accept (they make a variant easier).

The prediction is the mean of the features' z-scores across the pool (coincidences
counted negatively); a feature the same in every variant is left out. It is a
ranking, not a probability: the report puts it next to the measured mean score and
gives the rank correlation between the two once results exist.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from derivations.analyse.known import Known, tolerance
from derivations.analyse.statistics import mean
from derivations.library.units import UNITS

FEATURES = ("digits", "elasticity", "size", "coincidences")
_SIGN = {"digits": 1, "elasticity": 1, "size": 1, "coincidences": -1}


@dataclass(frozen=True)
class Prediction:
    variant: str
    features: dict[str, float]
    index: float  # the mean signed z-score: above 0 harder than the pool's average


def predicted(known: Mapping[str, Known]) -> list[Prediction]:
    """Every variant's features and predicted difficulty, in variant order."""
    rows = {vid: _features(k) for vid, k in sorted(known.items())}
    spread = {}
    for name in FEATURES:
        values = [row[name] for row in rows.values()]
        centre = mean(values)
        deviation = math.sqrt(math.fsum((v - centre) ** 2 for v in values) / len(values))
        spread[name] = (centre, deviation)
    used = [n for n in FEATURES if spread[n][1] > 1e-12]
    found = []
    for vid, row in rows.items():
        z = [_SIGN[n] * (row[n] - spread[n][0]) / spread[n][1] for n in used]
        found.append(Prediction(vid, row, mean(z) if z else 0.0))
    return found


def _features(variant: Known) -> dict[str, float]:
    answers = variant.solution.answers
    elasticities = [abs(s.elasticity) for aid in variant.keys
                    for s in answers[aid].sensitivities if math.isfinite(s.elasticity)]
    sizes = []
    for _aid, key in variant.keys.items():
        unit = UNITS.get(key.display_unit)
        value = abs(key.expected) / float(unit.factor) if unit is not None else abs(key.expected)
        if value > 0:
            sizes.append(abs(math.log10(value)))
    coincidences = sum(1 for key in variant.keys.values() for slip in key.slips
                       if abs(slip.value - key.expected) <= tolerance(key) * abs(key.expected))
    return {"digits": float(sum(_digits(text) for text in variant.givens.values())),
            "elasticity": max(elasticities, default=0.0),
            "size": mean(sizes) if sizes else 0.0,
            "coincidences": float(coincidences)}


def _digits(text: str) -> int:
    """Significant digits of a drawn given as written (`6.70e10` and `6.7e10` both 2:
    a draw is exact, its trailing zeros carry nothing)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return 0
    if not number.is_finite() or number == 0:
        return 1
    return len(number.normalize().as_tuple().digits)
