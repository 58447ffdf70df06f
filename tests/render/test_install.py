"""A wheel installed outside the repository renders PDFs as the editable install does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PROBLEMS, ROOT, pdf_text

pytestmark = pytest.mark.tex


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_wheel_in_a_fresh_virtualenv_builds_a_pdf(tmp_path):
    # Build the wheel from a copy of the tracked files, so the checkout stays clean.
    source = tmp_path / "src"
    files = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                cwd=ROOT).split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
        "-w", wheels, source, cwd=tmp_path)
    (wheel,) = wheels.glob("derivations-*.whl")

    # A fresh virtualenv; the dependencies (sympy, jinja2, ...) come from this one's
    # site-packages through a .pth line, which does not load the editable install.
    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=False)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(fresh),
                                                    "platbase": str(fresh)}))
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    python = fresh / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel,
        cwd=tmp_path)

    work = tmp_path / "course"
    work.mkdir()
    shutil.copy(PROBLEMS / "dlp_week4.toml", work / "week4.toml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    where = run(python, "-c", "import derivations; print(derivations.__file__)", cwd=work,
                env=env)
    assert str(fresh) in where and str(ROOT) not in where
    # the example sheets ship too: a notebook copied out of the repository works
    shown = run(python, "-c", "from derivations import example, solve; p = example("
                "'genai_week4'); print(p); print(solve(p)['E1.C'].display)", cwd=work, env=env)
    assert str(fresh) in shown and "1.648 × 10^24 FLOP" in shown
    run(fresh / "bin" / "derive", "build", "week4.toml", "-o", "out", "-q", cwd=work, env=env)
    assert "S = 15 625 steps" in pdf_text(work / "out" / "week4.pdf")
    # the other commands find their shipped files too (templates, the Moodle schema)
    run(fresh / "bin" / "derive", "build", "week4.toml", "--format", "html", "-o", "out",
        "-q", cwd=work, env=env)
    assert "steps" in (work / "out" / "week4.html").read_text()
    run(fresh / "bin" / "derive", "variants", "week4.toml", "--pool", "2", "-o", "out", "-q",
        cwd=work, env=env)
    assert (work / "out" / "week4-v02-questions.pdf").read_bytes().startswith(b"%PDF")
    run(fresh / "bin" / "derive", "export", "moodle", "week4.toml", "--variants",
        "out/week4.variants.json", "-o", "quiz.xml", "-q", cwd=work, env=env)
    assert b"week4.Q1.steps.v02" in (work / "quiz.xml").read_bytes()
    shutil.copy(ROOT / "tests" / "fixtures" / "writeups" / "dlp_week4_seed.md", work / "w.md")
    checked = subprocess.run([str(fresh / "bin" / "derive"), "check-work", "week4.toml", "w.md",
                              "--report", "check.pdf"], cwd=work, env=env, capture_output=True,
                             text=True, timeout=600)
    assert checked.returncode == 1, checked.stderr  # the write-up has a false line
    assert "Q5.head_params" in checked.stdout
    assert "FALSE" in pdf_text(work / "check.pdf")
    # the analysis report and the hand-ins of a submissions zip find their templates too
    run(fresh / "bin" / "derive", "analyse", "week4.toml", "--variants",
        "out/week4.variants.json", "--report", "analysis.html", "-q", cwd=work, env=env)
    assert "predicted difficulty" in (work / "analysis.html").read_text()
    with zipfile.ZipFile(work / "submissions.zip", "w") as archive:
        archive.write(work / "w.md", "Ada Lovelace_101_assignsubmission_file_/w.md")
    marked = subprocess.run([str(fresh / "bin" / "derive"), "check-work", "week4.toml",
                             "submissions.zip", "-o", "marked"], cwd=work, env=env,
                            capture_output=True, text=True, timeout=600)
    assert marked.returncode == 1, marked.stderr
    with zipfile.ZipFile(work / "marked" / "feedback-files.zip") as feedback:
        assert "FALSE" in feedback.read(feedback.namelist()[0]).decode().upper()
