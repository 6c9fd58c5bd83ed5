#!/usr/bin/env bash
# The README's first command: install what is missing, then run the benchmark suite on the embedded reference
# pipeline (full-size models on GPUs when there are any, tiny models on CPU otherwise). Reports: reports/latest-bench.md
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npx vitest bench --run "$@"
