"""Who handed in what: the members of a submissions zip grouped per student.

Two layouts, told apart by their names:

- **Moodle** ("Download all submissions"): one folder per participant and plugin,
  `Full Name_12345_assignsubmission_file_/...` (`..._onlinetext_/onlinetext.html` for
  online text; Moodle 4.1 and later drop the trailing `_`). The folder name is split
  on `_` as Moodle's own importer splits it (mod/assign/feedback/file/importziplib.php:
  full name, participant id, plugin type, plugin name); 12345 is the participant id
  that the grading worksheet names `Participant 12345`.
- **Canvas** ("Download submissions"): flat files
  `lastfirst_userid_submissionid_name.ext`, with `_LATE_` after the name of a late
  one; the user id is what the Canvas gradebook matches on (`ID`).

Which files are write-ups: Markdown, LaTeX, text, notebooks and Moodle's online text.
A PDF, an image or a Word file is "not readable: ask for the source"; anything else is
"not a write-up". Hidden files (`.DS_Store`, `__MACOSX/`) are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from derivations.work.handins.archive import Archive, Member

WRITEUPS = (".md", ".markdown", ".tex", ".txt", ".ipynb", ".html", ".htm")
SOURCELESS = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".heic", ".webp", ".docx", ".doc",
              ".odt", ".pages", ".rtf")


@dataclass
class Handin:
    """One student's submission: `key` is the LMS's id (participant id, Canvas user
    id); `folder` is how the LMS named it (the Moodle folder, the Canvas prefix)."""

    key: str
    name: str
    folder: str
    files: list[Member] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)  # file, why


@dataclass
class Handins:
    lms: str
    students: list[Handin] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # file, why (not a student's)
    duplicates: list[str] = field(default_factory=list)


def group(archive: Archive) -> Handins:
    """The students of a Moodle or a Canvas download (the layout most names follow).
    A download zipped again inside one folder (`week4/Full Name_12345_.../x.md`) is
    read as if that folder were not there."""
    archive = _unwrapped(archive)
    names = [m.name for m in archive.members if not _hidden(m.name)]
    moodle = sum(1 for n in names if _moodle(n) is not None)
    canvas = sum(1 for n in names if _canvas(n) is not None)
    found = Handins("moodle" if moodle >= canvas else "canvas")
    parse = _moodle if found.lms == "moodle" else _canvas
    by_key: dict[str, Handin] = {}
    for member in archive.members:
        if _hidden(member.name):
            continue
        parsed = parse(member.name)
        if parsed is None:
            found.skipped.append((member.name, f"not in {found.lms.title()}'s layout of a "
                                  "submission"))
            continue
        key, name, folder, file = parsed
        handin = by_key.get(key)
        if handin is None:
            handin = by_key[key] = Handin(key, name, folder)
            found.students.append(handin)
        elif handin.name != name:
            found.duplicates.append(f"{key}: {handin.name!r} and {name!r}")
            continue
        _sort(handin, Member(member.name, member.data), file)
    for name, why in archive.refused:  # a refused file still marks its student
        parsed = parse(name)
        if parsed is None:
            found.skipped.append((name, why))
            continue
        key, student, folder, _ = parsed
        if key not in by_key:
            by_key[key] = Handin(key, student, folder)
            found.students.append(by_key[key])
        by_key[key].unread.append((name, why))
    return found


def _unwrapped(archive: Archive) -> Archive:
    names = [m.name for m in archive.members if not _hidden(m.name)]
    if not names or any(_moodle(n) or _canvas(n) for n in names):
        return archive
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) != 1 or not all("/" in n for n in names):
        return archive
    cut = len(tops.pop()) + 1
    return Archive([Member(m.name[cut:], m.data) for m in archive.members
                    if not _hidden(m.name)],
                   [(n[cut:] if "/" in n else n, why) for n, why in archive.refused])


def _sort(handin: Handin, member: Member, file: str) -> None:
    lower = file.lower()
    if lower.endswith(WRITEUPS):
        handin.files.append(member)
    elif lower.endswith(SOURCELESS):
        handin.unread.append((member.name, "not readable: ask for the source (Markdown, "
                              "LaTeX, text or a notebook)"))
    else:
        handin.unread.append((member.name, "not a write-up (Markdown, LaTeX, text or a "
                              "notebook)"))


def _hidden(name: str) -> bool:
    return any(part.startswith((".", "__MACOSX")) for part in name.split("/"))


def _moodle(name: str) -> tuple[str, str, str, str] | None:
    """(participant id, full name, folder, file) of `Full Name_12345_assignsubmission_
    file_/x.md`, or None."""
    folder, _, file = name.partition("/")
    if not file:
        return None
    info = folder.split("_", 4)
    if len(info) < 4 or not info[1].isdigit() or not info[2].startswith("assign"):
        return None
    return info[1], info[0], folder, file


def _canvas(name: str) -> tuple[str, str, str, str] | None:
    """(user id, name, prefix, file) of `doejane_LATE_1234_5678_week4.md`, or None."""
    if "/" in name:
        return None
    parts = name.split("_")
    late = len(parts) > 1 and parts[1] == "LATE"
    rest = parts[2:] if late else parts[1:]
    if len(rest) < 3 or not rest[0].isdigit() or not rest[1].isdigit():
        return None
    prefix = "_".join(parts[:(4 if late else 3)])
    return rest[0], parts[0], prefix, "_".join(rest[2:])
