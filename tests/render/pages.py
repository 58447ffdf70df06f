"""Helpers shared by the HTML tests: reading a page back as elements and text, and
looking for answer values that a question sheet must not show."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from click.testing import CliRunner

from derivations.cli import main
from tests.conftest import PROBLEMS

VOID = {"meta", "br", "hr", "img", "input", "link", "mspace", "circle", "rect", "line",
        "polyline", "path", "col", "wbr"}


class Page(HTMLParser):
    """Every element (tag, attributes) and the text, with a check that tags nest."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.chunks: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.in_style = False
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self.in_style = tag in ("style", "title")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    def sections(self) -> dict[str, dict[str, str]]:
        return {a["id"]: a for tag, a in self.elements if tag == "section"}


def squash(text: str) -> str:
    """Text without spaces, carets or minus variants, as math reads back in a page
    (`7.544 × 10^12` and the MathML `7.544×10<sup>12</sup>` both give `7.544×1012`)."""
    return re.sub(r"[\s^\u2009\u00a0]", "", text).replace("\u2212", "-")


def leaked(solved: dict, text: str, written: str) -> tuple[list[str], int]:
    """Answer displays found in `text` (a page's text); also how many were looked for.

    A one- or two-character count ("8", "27"), or a number the instructor wrote in
    the sheet, may appear in a statement without being a leak.
    """
    found, checked = [], 0
    page = squash(text)
    for aid, answer in solved["answers"].items():
        if isinstance(answer["value"], bool):
            continue
        for shown in answer["display"].split(" = "):
            number = shown.split(" ")[0] if "×" not in shown else shown
            for candidate in {squash(t) for t in {shown, number}
                              if len(t.replace(" ", "")) >= 3 and t not in written}:
                pattern = r"(?<![\d.])" + re.escape(candidate) + r"(?![\d])"
                checked += 1
                if re.search(pattern, page):
                    found.append(f"{aid}: {candidate}")
    return found, checked


def solved_json(names: tuple[str, ...]) -> dict[str, dict]:
    """`derive solve NAME --format json` of each shipped sheet: the values to compare with."""
    return {name: json.loads(CliRunner().invoke(main, [
        "solve", str(PROBLEMS / f"{name}.toml"), "--format", "json"]).stdout)
        for name in names}
