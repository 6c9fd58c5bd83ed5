#!/usr/bin/env bash
# Installs everything the harness needs on a Debian machine with Node 20: Debian's PyTorch and numpy
# (PyPI is not reachable), the lambda phage example data, and the npm packages from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
/usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1 || missing+=(python3-torch python3-numpy)
dpkg-query -W -f='${Status}' bowtie2-examples 2>/dev/null | grep -q "install ok installed" || missing+=(bowtie2-examples)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node -e 'const [major, minor] = process.versions.node.split(".").map(Number); if (major < 20 || (major === 20 && minor < 5)) { console.error(`setup: Node >= 20.5 is required, found ${process.versions.node}`); process.exit(1) }'
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
echo "setup: ready (python: $(/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'))"
