#!/usr/bin/env bash
# The GPU half of the project's checks, run in one go on a lent GPU machine (no Node there: the caller unpacks
# .device-carry first). Writes everything under $OUT: the bench reports, the fresh vanilla-vs-optimised
# validation, CPU-vs-GPU weight digests, a pyarrow read of a GPU timeline, and the sampler's own CPU cost.
# Usage: OUT=/tmp/out bash scripts/device/gpu-session.sh [bench|validate|all]
set -uo pipefail
OUT=${OUT:-/tmp/gpu-session}
what=${1:-all}
mkdir -p "$OUT/files" "$OUT/extra"
export PYTHONUNBUFFERED=1 VIRNUCPRO_PYTHON=${VIRNUCPRO_PYTHON:-$(command -v python3)} BENCH_PROGRESS=plain
vitest() { node node_modules/vitest/vitest.mjs "$@"; }
log() { echo "== $(date -u +%H:%M:%S) $*" | tee -a "$OUT/files/session.log"; }

log "machine"; { nvidia-smi -L; python3 -c 'import torch, sys; print(sys.version.split()[0], torch.__version__, torch.cuda.device_count())'; node --version; } >> "$OUT/files/session.log" 2>&1

if [ "$what" = all ] || [ "$what" = bench ]; then
  log "weights: CPU vs GPU digest (tiny and full)"
  for size in tiny full; do
    for dev in cpu cuda; do
      PYTHONPATH=fixtures/reference-pipeline python3 -m virnucpro_ref weights-digest --model-size $size --device $dev > "$OUT/extra/digest-$size-$dev.json" 2>>"$OUT/files/session.log"
    done
  done
  log "smoke: full-size optimised reference run on the small sample"
  PYTHONPATH=fixtures/reference-pipeline python3 -m virnucpro_ref predict fixtures/samples/synth-small-fixed500-s42.fa -o /tmp/smoke --force --model-size full --device cuda 2>&1 | grep -E "throughput|Model load|completed in|Total wall|Error|error" | tee -a "$OUT/files/session.log"
  log "bench suite"
  vitest bench --run 2>&1 | tee "$OUT/extra/bench.log" | tail -n 60
  cp reports/latest.md "$OUT/files/bench-report.md"; cp reports/latest.json "$OUT/files/bench-report.json"
  timeline=$(ls -t .runs/*/gpu-timeline.arrow 2>/dev/null | head -1)
  log "pyarrow reads $timeline"
  python3 -c "import sys, pyarrow.ipc as ipc; t = ipc.open_file(sys.argv[1]).read_all(); print(t.schema); print(t.num_rows, 'rows'); print(t.to_pandas().groupby('stage')['utilisation_pct'].mean())" "$timeline" >> "$OUT/files/session.log" 2>&1
  log "sampler CPU cost"
  node node_modules/tsx/dist/cli.mjs scripts/measure-sampler.ts --seconds 20 --interval 500 --interval 100 >> "$OUT/files/session.log" 2>&1
fi

if [ "$what" = all ] || [ "$what" = validate ]; then
  log "fresh vanilla vs optimised (full size)"
  VALIDATE_FRESH_VANILLA=1 vitest run --project validations -t "fresh" 2>&1 | tee "$OUT/extra/validate.log" | tail -n 40
  cp reports/latest.md "$OUT/files/validate-report.md"; cp reports/latest.json "$OUT/files/validate-report.json"
fi

tail -n +1 "$OUT"/extra/digest-*.json >> "$OUT/files/session.log" 2>/dev/null
tar -czf "$OUT/runs.tar.gz" --exclude='*.pt' "$OUT/extra" reports .runs/*/command.json .runs/*/result.json .runs/*/stdout.log .runs/*/stderr.log .runs/*/gpu-timeline.arrow 2>/dev/null
rm -rf "$OUT/extra"
log "done"
