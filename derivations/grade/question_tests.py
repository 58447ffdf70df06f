"""Question tests: the whole marking path pinned, on every variant (`derive test`).

A test is an answer text, marked by the same `Grader` as `derive check` (read, judged,
diagnosed, credited), and what must come out: the verdict, the diagnoses, the credit
and a fragment of the feedback. Two sources:

- **written** in the sheet (`[[tests]]`): for the sheet as written, one variant, or
  every variant, with `{E1.C}` / `{E1.C:3}` standing for that variant's answer;
- **generated** for every ask of every variant: the exact answer, each rounding path,
  each known mistake, each carried-forward path, a garbage text, a far value and a near
  miss on either side of the tolerance.

A generated value that two paths give (a mistake equal to the right answer or to a
rounding, say) is not a failure: it is reported as a coincidence with its variant and
ask, because the grader cannot tell the paths apart there and says so itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial

from derivations.errors import VariantsError
from derivations.grade.grader import Grader
from derivations.grade.keys import AnswerKey
from derivations.grade.precision import rounded, supported
from derivations.grade.verdicts import Verdict, close
from derivations.library.slips import UNNAMED
from derivations.library.units import UNITS
from derivations.numbers import compact, scientific
from derivations.read.answer import Number, read_answer
from derivations.sheet.model import Grading, SheetTest

_PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*)(?::(\d{1,2}))?\}")
#: Factors that make a value nothing explains (tried in turn until one is clear of
#: every known mistake and rounding).
_FAR = (7.77, 0.0131, 53.9, 0.271)


@dataclass(frozen=True)
class Case:
    """One test to mark: where it came from (`tests.#2`, `mistake forgot_layers`)."""

    variant: str
    answer: str
    text: str
    origin: str
    given: dict[str, str] = field(default_factory=dict)
    verdict: str | None = None
    diagnoses: tuple[str, ...] = ()
    credit: float | None = None
    feedback: str = ""
    at_least: bool = False  # credit is a floor (a coincidence may earn a better one)


@dataclass(frozen=True)
class Failure:
    case: Case
    got: Verdict
    why: str


@dataclass
class Results:
    """What running the tests of one sheet found."""

    written: int = 0
    generated: int = 0
    variants: int = 0
    failures: list[Failure] = field(default_factory=list)
    coincidences: list[str] = field(default_factory=list)

    def merge(self, other: Results) -> None:
        self.written += other.written
        self.generated += other.generated
        self.failures += other.failures
        self.coincidences += other.coincidences


def run(sources: Mapping[str, Callable[[], Grader]], written: tuple[SheetTest, ...],
        generate: bool = True, step: Callable[[], None] | None = None) -> Results:
    """Mark every written test (and generated ones) on each variant (variant id -> its
    grader, built when needed; "v00" is the sheet as written), in one process;
    `variants.tested` runs the same on every core. `step` is called after each
    variant."""
    check_variants(sources, written)
    results = Results(variants=len(sources))
    for vid, source in sources.items():
        results.merge(variant_results(vid, source(), written, generate))
        if step is not None:
            step()
    return results


def check_variants(sources: Mapping[str, Callable[[], Grader]],
                   written: tuple[SheetTest, ...]) -> None:
    """Every variant a written test names is one of `sources`."""
    for test in written:
        if test.variant not in ("", "all") and test.variant not in sources:
            raise VariantsError(f"{test.key}: no variant {test.variant!r} in the pool "
                                f"({', '.join(list(sources)[:3])}, ...)")


def variant_results(vid: str, grader: Grader, written: tuple[SheetTest, ...],
                    generate: bool) -> Results:
    """The written tests that name this variant (or all), then the generated ones."""
    results = Results(variants=1)
    for test in written:
        if test.variant == "all" or test.variant == vid or (not test.variant
                                                            and vid == "v00"):
            results.written += 1
            _check(grader, written_case(test, vid, grader.keys), results)
    if generate:
        for case in generated_cases(vid, grader, results.coincidences):
            results.generated += 1
            _check(grader, case, results)
    return results


def written_case(test: SheetTest, vid: str, keys: dict[str, AnswerKey]) -> Case:
    """A written test on one variant, its placeholders filled in."""
    return Case(vid, test.answer, _filled(test.text, keys), test.key,
                {aid: _filled(text, keys) for aid, text in test.given.items()},
                test.verdict, test.diagnoses, test.credit, test.feedback)


def _filled(text: str, keys: dict[str, AnswerKey]) -> str:
    """`{E1.C}` -> the answer in its display unit (full precision), `{E1.C:3}` -> to
    3 significant figures."""
    def value(match: re.Match[str]) -> str:
        key = keys.get(match.group(1))
        if key is None or not isinstance(key.expected, float):
            raise VariantsError(f"{match.group(0)} in a test's text is not a numeric "
                                "answer of the sheet")
        shown = key.expected / _factor(key)
        figures = match.group(2)
        return repr(shown) if figures is None else scientific(shown, int(figures))
    return _PLACEHOLDER.sub(value, text)


def _factor(key: AnswerKey) -> float:
    unit = UNITS.get(key.display_unit)
    return float(unit.factor) if unit is not None else 1.0


def written_text(key: AnswerKey, value: float, figures: int | None = None) -> str:
    """A canonical value as a student writes it: in the display unit, with the unit
    when the reader reads it back as that unit, else bare in the canonical unit; in
    full, or to `figures` significant figures (trailing zeros kept: `5.880e+23`)."""
    def spelled(number: float) -> str:
        return repr(number) if figures is None else scientific(number, figures)
    unit = UNITS.get(key.display_unit)
    if unit is not None and key.display_unit not in ("1", ""):
        text = f"{spelled(value / float(unit.factor))} {key.display_unit}"
        reading = read_answer(text)
        if isinstance(reading, Number) and reading.unit is not None:
            return text
    return spelled(value)


def generated_cases(vid: str, grader: Grader, coincidences: list[str]) -> Iterator[Case]:
    """Every path the grader knows for each numeric ask of one variant."""
    policy = grader.policy
    for aid, key in grader.keys.items():
        if key.kind != "number" or not isinstance(key.expected, float):
            continue
        credits = grader.credits[aid]
        table_of = credits.get
        allowed = supported(policy.figures, key.expected, key.measured) \
            if key.tolerance else None
        passes = partial(_passes, key, policy)
        if allowed is None:
            yield Case(vid, aid, written_text(key, key.expected), "exact",
                       verdict="correct", credit=1.0)
            yield from _near_misses(vid, aid, key)
        else:
            yield from _figures_cases(vid, aid, key, allowed.figures, policy)
        yield Case(vid, aid, "banana", "garbage text", verdict="unparsed", credit=0.0)
        far = _far_value(key)
        if far is not None:
            share = table_of(UNNAMED, 0.0) if not policy.curve else None
            yield Case(vid, aid, written_text(key, far), "far value", verdict="wrong",
                       credit=share)
        for item in key.rounded:
            origin = f"rounding {item.name}"
            if passes(item.value):
                yield Case(vid, aid, written_text(key, item.value), origin, verdict="correct",
                           credit=None if allowed else 1.0)  # figures: may overclaim
            elif _clash(key, item.value, skip=("answer", "rounded")):
                coincidences.append(f"{vid} {aid}: rounding {item.name} gives a value a "
                                    "known mistake also gives")
            else:
                yield Case(vid, aid, written_text(key, item.value), origin,
                           verdict="correct-with-rounding", credit=policy.rounding)
        for slip in key.slips:
            if passes(slip.value) or any(
                    close(slip.value, r.value, key.tolerance) for r in key.rounded):
                coincidences.append(f"{vid} {aid}: the mistake {slip.diagnosis} gives the "
                                    "answer, or a rounding of it")
                continue
            named = table_of(slip.diagnosis)
            yield Case(vid, aid, written_text(key, slip.value), f"mistake {slip.diagnosis}",
                       verdict="wrong", diagnoses=(slip.diagnosis,), credit=named,
                       at_least=True)
        yield from _carried_cases(vid, grader, key, passes)


def _passes(key: AnswerKey, policy: Grading, value: float) -> bool:
    """Right as it stands when written in full: the same to the policy's figures (in
    the display unit), or within the tolerance."""
    allowed = supported(policy.figures, key.expected, key.measured) \
        if key.tolerance else None
    if allowed is None:
        return close(value, key.expected, key.tolerance)
    scale = _factor(key)
    return _same(rounded(value / scale, allowed.figures),
                 rounded(key.expected / scale, allowed.figures))


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b))


def _far_value(key: AnswerKey) -> float | None:
    for factor in _FAR:
        value = key.expected * factor if key.expected else factor
        if not _clash(key, value):
            return value
    return None


def _clash(key: AnswerKey, value: float, skip: tuple[str, ...] = ()) -> bool:
    """Is `value` near a value another path gives (answer, rounding, mistake, or a
    general slip such as a power of ten)?"""
    from derivations.grade.grader import generic_slip

    near = ([] if "answer" in skip else [key.expected]) + [s.value for s in key.slips]
    if "rounded" not in skip:
        near += [r.value for r in key.rounded]
    widest = max(key.tolerance, key.slip_tolerance, 1e-9)
    return any(close(value, v, 2 * widest) for v in near) or bool(
        key.expected and generic_slip(value, key)[0])


def _near_misses(vid: str, aid: str, key: AnswerKey) -> Iterator[Case]:
    """Just inside the tolerance (correct) and twice outside it (not correct)."""
    if key.tolerance == 0:  # a whole number that must be exact
        outside = key.expected + 1
        if not _clash(key, outside):
            yield Case(vid, aid, written_text(key, outside), "near miss (one off)",
                       verdict="wrong")
        return
    inside = key.expected * (1 + key.tolerance / 2)
    yield Case(vid, aid, written_text(key, inside), "near miss inside the tolerance",
               verdict="correct")
    outside = key.expected * (1 + 2 * key.tolerance)
    if not _clash(key, outside):
        yield Case(vid, aid, written_text(key, outside), "near miss outside the tolerance",
                   verdict="wrong")


def _figures_cases(vid: str, aid: str, key: AnswerKey, figures: int,
                   policy: Grading) -> Iterator[Case]:
    """Under a figures policy: the answer to the supported figures, to two more and to
    one fewer (deductions), and one unit off in the last supported place (wrong)."""
    value = key.expected
    yield Case(vid, aid, written_text(key, value, figures), f"to {figures} figures",
               verdict="correct", credit=1.0)
    more = min(figures + 2, 15)
    if more > figures:
        yield Case(vid, aid, written_text(key, value, more), f"to {more} figures",
                   verdict="correct", diagnoses=("too_many_figures",),
                   credit=1 - policy.overclaim)
    if figures > 1:
        yield Case(vid, aid, written_text(key, value, figures - 1),
                   f"to {figures - 1} figures", verdict="correct",
                   diagnoses=("too_few_figures",), credit=1 - policy.underclaim)
    scale = _factor(key)
    right = rounded(value / scale, figures)
    step = 10.0 ** (math.floor(math.log10(abs(right))) - figures + 1)
    # one unit off in the last place, in the same decade and clear of a tie
    offs = [w * scale for w in (right + step, right - step) if w and math.floor(
        math.log10(abs(w))) == math.floor(math.log10(abs(right)))
        and abs(w - value / scale) > 0.501 * step]
    off = offs[0] if offs else None
    if off is not None and not _clash(key, off, skip=("answer",)):
        yield Case(vid, aid, written_text(key, off, figures),
                   f"one off in figure {figures}", verdict="wrong")


def _carried_cases(vid: str, grader: Grader, key: AnswerKey,
                   passes: Callable[[float], bool]) -> Iterator[Case]:
    """For each earlier answer this one is computed from: that answer wrong (by its
    first known mistake, or by a value nothing explains) and this one right from it."""
    if key.carried is None:
        return
    function, upstream = key.carried
    policy = grader.policy
    for index, aid in enumerate(upstream):
        earlier = grader.keys[aid]
        if not isinstance(earlier.expected, float) or not earlier.expected:
            continue
        library = [s for s in earlier.slips if s.library]
        for wrong, named in ((library[0].value if library else None, True),
                             (earlier.expected * 1.37, False)):
            if wrong is None or (not named and _clash(earlier, wrong)) \
                    or _passes(earlier, policy, wrong):
                continue
            own = [grader.keys[a].expected for a in upstream]
            own[index] = wrong
            try:
                follow = float(function(*own))
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                continue
            if not math.isfinite(follow) or passes(follow) \
                    or close(follow, key.expected, 2 * key.tolerance):
                continue
            share = policy.carried_forward
            if not named and policy.carried_unnamed is not None:
                share = min(share, policy.carried_unnamed)
            yield Case(vid, key.id, written_text(key, follow),
                       f"carried from {aid} ({'a known mistake' if named else 'unexplained'})",
                       {aid: written_text(earlier, wrong)}, "carried-forward",
                       credit=None if policy.carried_trivial is not None else share)


def _check(grader: Grader, case: Case, results: Results) -> None:
    result = grader.grade("test", {**case.given, case.answer: case.text}, last=case.answer)
    got = result.answers[case.answer]
    why = failure(case, got)
    if why:
        results.failures.append(Failure(case, got, why))


def failure(case: Case, got: Verdict) -> str:
    """Why `got` is not what `case` expects, or ""."""
    problems = []
    if case.verdict is not None and got.verdict != case.verdict:
        problems.append(f"verdict {got.verdict}, expected {case.verdict}")
    named = {got.diagnosis, *got.alternatives} - {""}
    missing = [d for d in case.diagnoses if d not in named]
    if missing:
        problems.append(f"diagnosis {', '.join(sorted(named)) or 'none'}, expected "
                        f"{', '.join(missing)}")
    if case.credit is not None and got.max_points:
        share = got.points / got.max_points
        low = share < case.credit - 1e-6
        if low or (not case.at_least and share > case.credit + 1e-6):
            problems.append(f"credit {compact(share)}, expected {compact(case.credit)}")
    if case.feedback and case.feedback.lower() not in got.feedback.lower():
        problems.append(f"feedback lacks {case.feedback!r}")
    return "; ".join(problems)
