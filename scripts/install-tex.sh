#!/usr/bin/env bash
# Install the TeX Live pieces derivations compiles with, from Debian packages, only when
# something is missing. Safe to run again: a complete installation is left untouched.
set -euo pipefail

PACKAGES=(texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-pictures
          texlive-science latexmk lmodern poppler-utils)

have_all() {
  command -v pdflatex >/dev/null && command -v latexmk >/dev/null \
    && command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null \
    && kpsewhich siunitx.sty >/dev/null && kpsewhich pgfplots.sty >/dev/null \
    && kpsewhich lmodern.sty >/dev/null && kpsewhich multicol.sty >/dev/null
}

if have_all; then
  exit 0
fi
# shellcheck source=scripts/apt-install.sh
source "$(dirname "$0")/apt-install.sh"
apt_install install-tex "${PACKAGES[@]}"
have_all || { echo "install-tex: TeX still incomplete after install" >&2; exit 1; }
