"""Answers marked without the rest of the student's sheet: true/false claims, vectors,
and a number given in the wrong kind of unit (bits for bytes, parameters for bytes).

None of these can be carried forward or rounded, so each is a function of the key and
the reading alone; the `Grader` calls them before any arithmetic on the value.
"""

from __future__ import annotations

from derivations.grade.keys import AnswerKey
from derivations.grade.reading import factor_of
from derivations.grade.verdicts import Verdict, as_boolean, close, verdict
from derivations.read import answer as parsing


def unit_problem(key: AnswerKey, parsed: parsing.Number) -> Verdict | None:
    if parsed.unit is None:
        return None
    unit = parsed.unit
    if unit.bits and key.unit == "byte":
        bytes_meant = float(parsed.value * unit.factor * 8)
        if close(bytes_meant, key.expected, key.tolerance):
            return verdict(
                key, "wrong", float(parsed.value * unit.factor),
                f"{unit.word} is a unit of bits (8 bits to a byte), so "
                f"{parsed.text.strip()} is an eighth of the bytes asked for: write B "
                f"for bytes. Expected {key.shown}.", "wrong_unit")
        return None
    if unit.canonical == key.unit or (unit.canonical == "1" and key.unit == "1"):
        return None
    if key.unit == "byte" and unit.canonical == "parameter":
        return verdict(key, "wrong", parsed.text, "You gave a number of parameters; "
                             "the question asks for bytes.", "parameters_for_bytes")
    if key.unit == "parameter" and unit.canonical == "byte":
        return verdict(key, "wrong", parsed.text, "You gave bytes; the question asks "
                             "for a number of parameters.", "bytes_for_parameters")
    return verdict(key, "wrong", parsed.text,
                         f"Wrong kind of unit: {unit.word} measures {unit.canonical}, but "
                         f"the answer is in {key.unit}.", "wrong_unit")


def mark_bool(key: AnswerKey, parsed: parsing.Reading) -> Verdict:
    value = as_boolean(parsed)
    if value is None:
        return verdict(key, "unparsed", getattr(parsed, "text", ""),
                             "Expected true or false.")
    if value == key.expected:
        return verdict(key, "correct", value, "Correct.")
    return verdict(key, "wrong", value, f"The claim is {str(key.expected).lower()}.")


def mark_vector(key: AnswerKey, parsed: parsing.Reading) -> Verdict:
    if not isinstance(parsed, parsing.Vector):
        return verdict(key, "unparsed", getattr(parsed, "text", ""),
                             "Expected a list such as [1, 2, 3].")
    if parsed.unit is not None and parsed.unit.canonical != key.unit:
        return verdict(key, "wrong", parsed.text, f"Wrong kind of unit: "
                             f"{parsed.unit.word} measures {parsed.unit.canonical}.",
                             "wrong_unit")
    expected = key.expected
    integers = all(float(e).is_integer() for e in expected)  # int8 codes: exact
    factors = [float(factor_of(key, parsed.unit))]
    if parsed.unit is None and key.display_unit == "%":
        factors.append(1.0)  # fractions for percentages: [0.0285, 0.208]
    for factor in factors:
        given = [float(v) * factor for v in parsed.values]
        if len(given) == len(expected) and all(
                abs(g - e) <= 1e-9 or (not integers and close(g, e, key.tolerance))
                for g, e in zip(given, expected, strict=True)):
            note = "Read as fractions. " if factor != factors[0] else ""
            return verdict(key, "correct", given, note + "Correct.")
    given = [float(v) * factors[0] for v in parsed.values]
    return verdict(key, "wrong", given, f"Expected {key.shown}.")
