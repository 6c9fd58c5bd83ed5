#!/usr/bin/env bash
# The GPU half of the project's checks, run in one go on a lent GPU machine (no Node there: the caller unpacks
# .device-carry first). Writes everything under $OUT: the bench reports, the fresh vanilla-vs-optimised
# validation, CPU-vs-GPU weight digests, a pyarrow read of a GPU timeline, and the sampler's own CPU cost.
# Usage: OUT=/tmp/out bash scripts/device/gpu-session.sh [all|bench|ab|validate|digests|sampler|projection|analyse|lifeline] ...
#   lifeline = kill -9 of `vitest bench` mid-run on the GPUs: seconds until no process of the run is left and the GPUs
#   run none of its processes (issue 17); not part of `all`.
#   all = digests bench sampler validate; ab = the scaling cases with model preload and background writes off
#   (the optimised mode as it was before those two), for a before/after in one session; projection = the
#   projection check alone (calibration sweep ≈ 1–2 min, then the held-out samples; ≈ 8 min on one H200);
#   analyse = analyse-run over every run folder of the session (after bench/validate, e.g. `... bench validate analyse`).
# The lambda reads case needs bowtie2-examples' files: BOWTIE2_EXAMPLES_DIR=<carried copy> when the package is absent.
set -uo pipefail
OUT=${OUT:-/tmp/gpu-session}
steps=${*:-all}
[ "$steps" = all ] && steps="digests bench sampler validate"
want() { case " $steps " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
mkdir -p "$OUT/files" "$OUT/extra"
export PYTHONUNBUFFERED=1 VIRNUCPRO_PYTHON=${VIRNUCPRO_PYTHON:-$(command -v python3)} BENCH_PROGRESS=plain
# STEP_TIMEOUT_S bounds each vitest step (0: none) so that a slow step still leaves the tarball inside the device limit.
vitest() { timeout --signal=INT --kill-after=20 "${STEP_TIMEOUT_S:-0}" node node_modules/vitest/vitest.mjs "$@"; }
log() { echo "== $(date -u +%H:%M:%S) $*" | tee -a "$OUT/files/session.log"; }

log "machine"; { nvidia-smi -L; python3 -c 'import torch, sys; print(sys.version.split()[0], torch.__version__, torch.cuda.device_count())'; node --version; } >> "$OUT/files/session.log" 2>&1

# keep_report NAME SUITE: the suite's latest report (reports/latest-<suite>.*) and its charts (embedded by relative links).
# The charts travel in runs.tar.gz (reports/ whole): the device tool returns at most 8 files, 2 folders down.
keep_report() { cp "reports/latest-$2.md" "$OUT/files/$1-report.md"; cp "reports/latest-$2.json" "$OUT/files/$1-report.json"; }

if want digests; then
  log "weights: CPU vs GPU digest (tiny and full)"
  for size in tiny full; do
    for dev in cpu cuda; do
      PYTHONPATH=fixtures/reference-pipeline python3 -m virnucpro_ref weights-digest --model-size $size --device $dev > "$OUT/extra/digest-$size-$dev.json" 2>>"$OUT/files/session.log"
    done
  done
fi

if want ab; then
  log "A/B: scaling cases with --preload off --write-behind off"
  VIRNUCPRO_EXTRA_ARGS="--preload off --write-behind off" vitest bench --run benches/scaling.bench.ts benches/lambda-reads.bench.ts 2>&1 | tee "$OUT/extra/bench-before.log" | tail -n 30
  keep_report before bench
fi

if want bench; then
  log "smoke: full-size optimised reference run on the small sample"
  PYTHONPATH=fixtures/reference-pipeline python3 -m virnucpro_ref predict fixtures/samples/synth-small-fixed500-s42.fa -o /tmp/smoke --force --model-size full --device cuda 2>&1 | grep -E "throughput|host wait|Model load|Loading|ready:|First batch|Inference complete|completed in|Total wall|Error|error" | tee -a "$OUT/files/session.log"
  log "bench suite"
  vitest bench --run 2>&1 | tee "$OUT/extra/bench.log" | tail -n 60
  keep_report bench bench
  timeline=$(ls -t .runs/*/gpu-timeline.arrow 2>/dev/null | head -1)
  log "pyarrow reads $timeline"
  python3 -c "import sys, pyarrow.ipc as ipc; t = ipc.open_file(sys.argv[1]).read_all(); print(t.schema); print(t.num_rows, 'rows'); print(t.to_pandas().groupby('stage')['utilisation_pct'].mean())" "$timeline" >> "$OUT/files/session.log" 2>&1
fi

if want projection; then
  log "projection check: calibration sweep, then held-out samples projected and measured"
  vitest bench --run benches/projection-check.bench.ts 2>&1 | tee "$OUT/extra/projection.log" | tail -n 40
  keep_report projection bench
  node node_modules/tsx/dist/cli.mjs scripts/project.ts --from reports/latest-bench.json --sample fixtures/samples/manifests/example-real-sample.json >> "$OUT/files/session.log" 2>&1
fi

if want sampler; then
  log "sampler CPU cost"
  node node_modules/tsx/dist/cli.mjs scripts/measure-sampler.ts --seconds 20 --interval 500 --interval 100 >> "$OUT/files/session.log" 2>&1
fi

if want validate; then
  log "fresh vanilla vs optimised (full size)"
  VALIDATE_FRESH_VANILLA=1 vitest run --project validations -t "fresh" 2>&1 | tee "$OUT/extra/validate.log" | tail -n 40
  keep_report validate test
fi

if want analyse; then
  # Post-run analysis of every run folder this session made: the same report from what each run left behind.
  log "analyse-run over .runs/*/"
  for run in .runs/*/; do
    [ -f "$run/result.json" ] || continue
    node node_modules/tsx/dist/cli.mjs scripts/analyse-run.ts "$run" --out "$OUT/extra/analysis/$(basename "$run")" >> "$OUT/files/session.log" 2>&1
    echo "analyse-run $run: exit $?" >> "$OUT/files/session.log"
  done
fi

if want lifeline; then
  log "lifeline: SIGKILL of vitest bench during a full-size GPU run"
  node node_modules/vitest/vitest.mjs bench --run benches/scaling.bench.ts > "$OUT/extra/lifeline-bench.log" 2>&1 &  # not the shell function: $! must be node itself
  main=$!
  run=""
  for _ in $(seq 1 600); do
    run=$(ls -t .runs/*/command.json 2>/dev/null | head -1 | xargs -r dirname)
    [ -n "$run" ] && [ -f "$run/supervisor.json" ] && grep -q "Stage 5" "$run/stdout.log" "$run/stderr.log" 2>/dev/null && break
    sleep 1
  done
  pgid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pipeline"]["pgid"])' "$run/supervisor.json")
  log "run $run (pgid $pgid): GPU processes before: $(nvidia-smi --query-compute-apps=pid --format=csv,noheader | tr '\n' ' ')"
  workers=$(pgrep -P "$main" | tr '\n' ' ')  # Vitest's forked workers outlive a killed main process: ended below
  t0=$(date +%s.%N); kill -9 "$main"
  while ps -eo pgid= | grep -qw "$pgid"; do sleep 0.1; done
  t1=$(date +%s.%N)
  while nvidia-smi --query-compute-apps=pid --format=csv,noheader | grep -q .; do sleep 0.2; [ "$(echo "$(date +%s.%N) - $t0 > 120" | bc)" = 1 ] && break; done
  t2=$(date +%s.%N)
  log "lifeline: group gone $(echo "$t1 - $t0" | bc) s after kill -9 of vitest; GPUs free of compute processes after $(echo "$t2 - $t0" | bc) s; left: $(nvidia-smi --query-compute-apps=pid --format=csv,noheader | tr '\n' ' ')"
  cp "$run/supervisor.json" "$OUT/files/lifeline-supervisor.json"
  [ -n "$workers" ] && kill -9 $workers 2>/dev/null; sleep 2
  log "lifeline: next vitest run reports"; vitest run plugin/analysis/amdahl.test.ts 2>&1 | grep -A3 "earlier harness" | tee -a "$OUT/files/session.log"
fi

tail -n +1 "$OUT"/extra/digest-*.json >> "$OUT/files/session.log" 2>/dev/null
tar -czf "$OUT/runs.tar.gz" --exclude='*.pt' "$OUT/extra" reports .runs/*/command.json .runs/*/result.json .runs/*/stdout.log .runs/*/stderr.log .runs/*/gpu-timeline.arrow 2>/dev/null
rm -rf "$OUT/extra"
log "done"
