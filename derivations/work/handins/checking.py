"""Checking every student of a submissions zip, with the sheet solved once.

One student's unreadable file never stops the class: it is listed against that
student ("not UTF-8 text", "not readable: ask for the source") and the rest is
checked. A student with several write-ups gets each checked; the one that scores
best gives the mark (a draft beside the final version must not cost the student).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from derivations.errors import DerivationsError
from derivations.files import FileError
from derivations.numbers import compact
from derivations.work.checking import WorkChecker, WorkResult
from derivations.work.handins.layout import Handin, Handins
from derivations.work.writeup.marks import FALSE


@dataclass
class HandinResult:
    handin: Handin
    results: list[WorkResult] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # the member each result was read from
    unread: list[tuple[str, str]] = field(default_factory=list)  # file, why

    def pages(self) -> list[tuple[str, WorkResult]]:
        """(report file name, result) per write-up checked: `feedback-week4-md.html`
        (the extension kept, so that week4.md and week4.ipynb do not collide)."""
        found = []
        for source, result in zip(self.sources, self.results, strict=True):
            file = source.rsplit("/", 1)[-1].removeprefix(f"{self.handin.folder}_")
            found.append((f"feedback-{file.replace('.', '-')}.html", result))
        return found

    @property
    def best(self) -> WorkResult | None:
        return max(self.results, key=lambda r: r.answers.score, default=None)

    def summary(self) -> str:
        """The short comment for the LMS's feedback column."""
        best = self.best
        if best is None:
            why = "; ".join(f"{name.rsplit('/', 1)[-1]}: {reason}"
                            for name, reason in self.unread) or "no write-up"
            return f"Not checked: {why}."
        false = [r for r in best.relations if r.mark == FALSE]
        first = best.first_error
        text = (f"{len(best.relations)} relations checked, {len(false)} false. "
                + (f"First error: {best.writeup.where(first.line)} ({first.problem or '-'}). "
                   if first else "No false line. ")
                + f"Answers {compact(best.answers.score)} of {compact(best.answers.max)}.")
        return text


def check_handins(checker: WorkChecker, handins: Handins,
                  step: Callable[[], None] | None = None) -> list[HandinResult]:
    found = []
    for handin in handins.students:
        result = HandinResult(handin, unread=list(handin.unread))
        for member in handin.files:
            data, name = member.data, member.name
            if name.lower().endswith((".html", ".htm")):
                data, name = html_text(data).encode("utf-8"), f"{name}.md"
            try:
                result.results.append(checker.check_data(data, name))
                result.sources.append(member.name)
            except FileError as exc:
                result.unread.append((member.name, exc.message))
            except DerivationsError as exc:  # one student's file never stops the class
                result.unread.append((member.name, str(exc)))
        if not result.results and not result.unread:
            result.unread.append(("", "no write-up in the submission"))
        found.append(result)
        if step is not None:
            step()
    return found


def class_summary(results: list[HandinResult], handins: Handins) -> dict[str, object]:
    """Who was checked, what was not read, first errors by problem, commonest false
    relations (their reasons with the numbers blanked, so that variants group)."""
    firsts = Counter(r.best.first_error.problem or "-" for r in results
                     if r.best is not None and r.best.first_error is not None)
    reasons: Counter[str] = Counter()
    for r in results:
        if r.best is not None:
            for relation in r.best.relations:
                if relation.mark == FALSE:
                    reasons[f"{relation.problem or '-'}: "
                            f"{_NUMBER.sub('#', relation.reason_text)[:120]}"] += 1
    each = []
    for r in results:
        best = r.best
        error = best.first_error if best is not None else None
        each.append({"name": r.handin.name, "id": r.handin.key,
                     "files": [s.rsplit("/", 1)[-1] for s in r.sources],
                     "score": best.answers.score if best else None,
                     "max": best.answers.max if best else None,
                     "first_error": f"{best.writeup.where(error.line)} ({error.problem or '-'})"
                     if best is not None and error is not None else None})
    return {"lms": handins.lms, "students": len(results), "each": each,
            "checked": sum(1 for r in results if r.best is not None),
            "unread": [(r.handin.name, name, why) for r in results for name, why in r.unread],
            "skipped": handins.skipped, "duplicates": handins.duplicates,
            "first_errors": firsts.most_common(), "false_relations": reasons.most_common(10)}


_NUMBER = re.compile(r"\d[\d.,⁰¹²³⁴⁵⁶⁷⁸⁹⁻]*")


class _Text(HTMLParser):
    """Moodle's online text (HTML) as Markdown-ish lines: blocks on lines of their own,
    headings as `#` headings (they name the problems), scripts and styles dropped."""

    BLOCKS = {"p", "div", "br", "li", "tr", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ANN001 - HTMLParser's
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
            if tag[0] == "h" and tag[1:].isdigit():
                self.parts.append("#" * int(tag[1]) + " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(data: bytes) -> str:
    parser = _Text()
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    return "".join(parser.parts)
