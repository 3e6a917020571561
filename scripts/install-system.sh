#!/usr/bin/env bash
# Install the Debian packages cchc needs (fonts for Vietnamese, WeasyPrint's pango/harfbuzz,
# poppler-utils to read PDFs back in tests, chromium for the index screenshot test).
set -euo pipefail
PKGS="fonts-liberation2 fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils chromium"
missing=""
for p in $PKGS; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages to install:$missing"
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Not root and no sudo: install these packages yourself:$missing" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "system packages installed"
