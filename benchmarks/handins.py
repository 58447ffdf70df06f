r"""Hand-ins as a zip against the same write-ups as loose files (printed, not asserted):
`python benchmarks/handins.py`.

  handins   300 submissions (half Markdown, half notebooks: the seed write-up of
            genai_week4) in a Moodle download zip, checked with the worksheet, the
            feedback zip of 300 HTML reports and the summary written
            <= 1.5 x  `derive check-work` on the same 300 write-ups as loose files
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DERIVE = str(ROOT / ".venv" / "bin" / "derive")
SHEET = str(ROOT / "problems" / "genai_week4.toml")
SEED = ROOT / "tests" / "fixtures" / "writeups" / "genai_week4_seed.md"
BOOK = ROOT / "tests" / "fixtures" / "handins" / "genai_week4_seed.ipynb"
COUNT = 300


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env={**os.environ})
    assert done.returncode in (0, 1), done.stderr.decode()[-500:]
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        loose, members = [], []
        for k in range(COUNT):
            source = SEED if k % 2 else BOOK
            path = base / f"s{k:03d}{source.suffix}"
            path.write_bytes(source.read_bytes())
            loose.append(str(path))
            members.append((f"Student {k}_{1000 + k}_assignsubmission_file_/week4"
                            f"{source.suffix}", source.read_bytes()))
        archive = base / "submissions.zip"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in members:
                out.writestr(name, data)
        archive.write_bytes(buffer.getvalue())
        files = timed([DERIVE, "check-work", SHEET, *loose, "--format", "json", "-o",
                       str(base / "loose.json")])
        zipped = timed([DERIVE, "check-work", SHEET, str(archive), "-o", str(base / "out")])
        print(f"handins   {COUNT} submissions: zip {zipped:.1f} s, loose files {files:.1f} s: "
              f"{zipped / files:.2f} x (target <= 1.5)")


if __name__ == "__main__":
    sys.exit(main())
