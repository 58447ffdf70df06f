"""Reading an untrusted zip in memory, within bounds, refusing what could escape.

A submissions download is a file anyone in the course could have shaped. Nothing is
extracted to disk: each member is read into memory, so no name can write anywhere.
Before anything is decompressed, the archive's own directory is checked against caps
(members, total size, size of one member, compression ratio), and each member is
then read with a bound, so a member whose header lies about its size is stopped at
the cap, not when memory runs out. Refused members are listed with the reason, and
the rest is read:

- a name that is absolute, has a drive letter, or climbs out (`..`) of the archive;
- a symbolic link (Unix mode in the member's external attributes);
- an encrypted member, or one that does not decompress;
- a zip inside the zip, which is not opened (a bomb can nest).

Names not flagged as UTF-8 are taken as UTF-8 when their bytes are (what most zip
tools write without the flag), else as the zip standard's CP437 (APPNOTE 4.4.4).
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from derivations.files import FileError, read_bytes

MAX_ARCHIVE = 500 * 2**20     # the zip file itself
MAX_MEMBERS = 20_000          # a class of 1,000 with a dozen files each
MAX_TOTAL = 1 * 2**30         # every member decompressed
MAX_MEMBER = 50 * 2**20       # one file decompressed (a notebook with plots)
MAX_RATIO = 200               # decompressed / compressed, for members above 1 MiB
_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class Member:
    name: str   # the path inside the archive, `/`-separated
    data: bytes


@dataclass
class Archive:
    members: list[Member] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # name, why


def read_archive(path: Path) -> Archive:
    """Every member that may be read; FileError (exit 2) when the file is not a zip
    or the archive as a whole is beyond the caps."""
    data = read_bytes(path, MAX_ARCHIVE)
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise FileError(path, f"not a zip archive ({exc})") from None
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise FileError(path, f"{len(infos)} files in the archive (at most {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL:
        raise FileError(path, f"the archive unpacks to {total} bytes (at most {MAX_TOTAL}); "
                        "refused before unpacking")
    found = Archive()
    for info in infos:
        name = _name(info)
        why = _refused(info, name)
        if why:
            found.refused.append((name, why))
            continue
        try:
            with archive.open(info) as handle:
                content = handle.read(MAX_MEMBER + 1)
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile, OSError, EOFError,
                ValueError) as exc:  # encrypted, an unknown method, corrupt
            found.refused.append((name, f"could not be read ({type(exc).__name__})"))
            continue
        if len(content) > MAX_MEMBER:
            found.refused.append((name, f"larger than {MAX_MEMBER} bytes unpacked"))
            continue
        if content.startswith(b"PK\x03\x04"):
            found.refused.append((name, "a zip inside the zip: not opened"))
            continue
        found.members.append(Member(name, content))
    return found


def _name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & _UTF8_FLAG:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass  # CP437 as zipfile read it
    return name.replace("\\", "/")


def _refused(info: zipfile.ZipInfo, name: str) -> str:
    parts = name.split("/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in parts:
        return "a path outside the archive (absolute, a drive letter or ..)"
    if any(ord(ch) < 32 for ch in name):
        return "a control character in the name"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link"
    if info.flag_bits & 0x1:
        return "encrypted"
    if info.file_size > MAX_MEMBER:
        return f"larger than {MAX_MEMBER} bytes unpacked"
    if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return f"compressed more than {MAX_RATIO} to 1 (a zip bomb?)"
    if name.lower().endswith((".zip", ".7z", ".rar", ".tar", ".gz", ".tgz")):
        return "an archive inside the zip: not opened"
    return ""
