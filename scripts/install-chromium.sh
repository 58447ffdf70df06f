#!/usr/bin/env bash
# Install Debian's Chromium, the browser the HTML tests render pages in, only when it is
# missing. Safe to run again. Playwright drives this binary (/usr/bin/chromium): its own
# browser download needs the internet, the Debian package does not.
set -euo pipefail

if command -v chromium >/dev/null; then
  exit 0
fi
# shellcheck source=scripts/apt-install.sh
source "$(dirname "$0")/apt-install.sh"
apt_install install-chromium chromium fonts-dejavu-core
command -v chromium >/dev/null || { echo "install-chromium: chromium still missing" >&2; exit 1; }
