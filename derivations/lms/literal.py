"""Text meant literally, made safe from an LMS's math renderer.

Moodle runs its TeX and MathJax filters over question text (`$$...$$`, `\\(...\\)`,
`\\[...\\]`, `[tex]`, and `\\begin{...}` environments), and Canvas typesets `$$...$$` and
`\\(...\\)` in rich content: a sheet's statement `\\$\\$\\input{/etc/passwd}\\$\\$`, meant
literally, would arrive as math to render. A word joiner (U+2060, invisible and not a
space) between the two characters of every such delimiter, and after a backslash
before a letter or a bracket, leaves the text as it reads but no delimiter for the
filters to find. Our own math reaches an LMS as MathML, never as TeX, so nothing of
ours is lost.
"""

from __future__ import annotations

import re

JOINER = "\u2060"
_DELIMITER = re.compile(r"\$\$|\\(?=[A-Za-z()\[\]])|\[(?=/?tex\b)|<(?=/?tex\b)",
                        re.IGNORECASE)


def literal(text: str) -> str:
    """`text` with a word joiner inside every math delimiter (see the module doc)."""
    return _DELIMITER.sub(lambda m: m.group(0)[0] + JOINER + m.group(0)[1:], text)
