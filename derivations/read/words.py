"""Words in answers: true/false, numbers spelled out, and the remarks after a value.

Small grammars, each with its own table:

- **true/false**: a truth word or mark first (`True`, `no`, `✓`, `✗`, `Right`,
  `wrong`, `not true`, and the same words in French, German and Spanish), then
  nothing, or a separator and any justification (`False - the weights update every
  step`). Two opposite truth words (`True or False`) are not an answer.
- **number words** for small counts: `eight`, `twenty-seven`, `one hundred and
  twelve`, `two thousand forty-eight`, optionally with a unit after them.
- **remarks** after a value: words without numbers are free (`rounded`, `MFU`); a
  number in a remark is allowed in a precision phrase (`to 4 s.f.`, `3 sig figs`,
  `2 d.p.`), and after a *restatement marker* (`i.e.`, `or`, `that is`, `about`)
  it is another value for the answer.
"""

from __future__ import annotations

import re

_TRUE = {"true", "yes", "correct", "right", "t", "y", "vrai", "oui", "wahr", "richtig",
         "ja", "verdadero", "si", "sí", "✓", "✔", "☑", "✅", "🗸"}
_FALSE = {"false", "no", "incorrect", "wrong", "f", "n", "faux", "non", "falsch", "nein",
          "falso", "✗", "✘", "❌", "✕"}
_ONE_LETTER = {"t", "y", "f", "n"}
_TRUTH = re.compile(r"^\W*?(?P<not>not\s+)?(?P<word>[A-Za-zíÍ]+|[✓✔☑✅🗸✗✘❌✕])"
                    r"(?P<rest>.*)$", re.DOTALL)
_SEPARATOR = re.compile(r"^\s*(?:$|[-–—,:;.!)(/]|because\b|since\b|as\b|so\b|the\b|"
                        r"it\b|only\b|both\b|this\b|that\b|or\b|and\b|[A-Z])")


def truth(text: str) -> bool | str | None:
    """True/False for a truth answer, a reason (str) for one that contradicts itself,
    None when the text is not a truth answer."""
    match = _TRUTH.match(text.strip())
    if match is None:
        return None
    word, rest = match.group("word").lower(), match.group("rest")
    value = True if word in _TRUE else False if word in _FALSE else None
    if value is None or (word in _ONE_LETTER and rest.strip()):
        return None
    if word in ("no", "non", "si", "sí") and re.match(r"\s*\d", rest):
        return None  # `no 5` is not an answer; `si` before a number is not Spanish yes
    if not _SEPARATOR.match(rest):
        return None
    if match.group("not"):
        value = not value
    opposite = re.match(r"\s*(?:or|/|and)\s*(\w+|[✓✔✗✘])", rest, re.IGNORECASE)
    if opposite and opposite.group(1).lower() in (_FALSE if value else _TRUE):
        return "both true and false are given"
    return value


_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
          "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
          "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}
_POWERS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)


def number_words(text: str) -> tuple[int, str] | None:
    """(value, the rest) when `text` starts with a number in words, else None."""
    total = current = 0
    seen = article = False  # `a thousand`: an article counts one of what follows
    position = 0
    for match in _WORD.finditer(text):
        between = text[position:match.start()]
        if between.strip(" -") or (seen and "," in between):
            break
        word = match.group(0).lower()
        if word in (*_UNITS, *_TENS) and article:
            break  # `a seven` is not a number
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred" and (seen or article):
            current = max(current, 1) * 100
        elif word in _POWERS and (seen or article):
            total += max(current, 1) * _POWERS[word]
            current = 0
        elif word == "and" and seen:
            pass
        elif word in ("a", "an") and not seen and not article:
            current, article = 1, True
            position = match.end()
            continue
        else:
            break
        seen, article = True, False
        position = match.end()
    if not seen:
        return None
    return total + current, text[position:].strip(" -")


_PRECISION = re.compile(r"\b(?:\d+\s*(?:s\.?\s?f\.?|sig\.?(?:\s*figs?\.?)?|significant|"
                        r"d\.?\s?p\.?|decimal|digits?|figures?|dp|sf)\b|"
                        r"(?:to|at|with)\s+\d+\s*(?:s|d|sig|sf|dp|places?|digits?)\b)",
                        re.IGNORECASE)
_MARKERS = re.compile(r"^\W*(?:i\.?\s?e\.?|that\s+is|which\s+is|or|aka|about|approx\.?|"
                      r"approximately|roughly|so|equals|i\.e,)\s*[:,]?\s*",
                      re.IGNORECASE)


#: Words that may follow a bare number without naming its unit: how it was found,
#: what it counts (`96 layers`), or the start of a phrase (`in total`).
REMARKS = {"rounded", "approx", "approximately", "roughly", "about", "exactly", "ca",
           "circa", "nearly", "around", "total", "overall", "in", "for", "of", "to", "at",
           "with", "from", "by", "is", "are", "so", "which", "i", "ie", "or", "and",
           "layer", "layers", "matrix", "matrices", "task", "tasks", "model", "models",
           "copy", "copies", "head", "heads", "times", "x", "fold", "aka", "that", "mfu",
           "sf", "s", "d", "dp", "sig", "significant", "figures", "digits", "only"}


def is_remark(word: str) -> bool:
    """May this word follow a bare number without being taken for its unit?"""
    return word.lower() in REMARKS


def is_precision(text: str) -> bool:
    """Is every number in this remark part of a precision phrase (`to 4 s.f.`)?"""
    remaining, found = _PRECISION.subn(" ", text)
    return bool(found) and not re.search(r"\d", remaining)


def restatement_marker(text: str) -> int | None:
    """Where the value after `i.e.`, `or`, `that is`... starts, or None."""
    match = _MARKERS.match(text)
    return match.end() if match else None
