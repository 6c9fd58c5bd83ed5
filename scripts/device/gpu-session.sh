#!/usr/bin/env bash
# The GPU half of the project's checks, run in one go on a lent GPU machine (no Node there: the caller unpacks
# .device-carry first). Writes everything under $OUT: the bench reports, the fresh vanilla-vs-optimised
# validation, CPU-vs-GPU weight digests, a pyarrow read of a GPU timeline, and the sampler's own CPU cost.
# Usage: OUT=/tmp/out bash scripts/device/gpu-session.sh [all|bench|ab|validate|digests|sampler|overhead|slowdown] ...
#   overhead = the harness's own cost (issue 16): the large synthetic scaling case on GPU 0 under the harness, twice
#   (the second is warm), then the same pipeline command alone; slowdown = that case again with --inject slow:1.3 and
#   BENCH_REPEATS=5 next to a plain one, compared by compare-reports (a real regression must be found).
#   all = digests bench sampler validate; ab = the scaling cases with model preload and background writes off
#   (the optimised mode as it was before those two), for a before/after in one session.
# The lambda reads case needs bowtie2-examples' files: BOWTIE2_EXAMPLES_DIR=<carried copy> when the package is absent.
set -uo pipefail
OUT=${OUT:-/tmp/gpu-session}
steps=${*:-all}
[ "$steps" = all ] && steps="digests bench sampler validate"
want() { case " $steps " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
mkdir -p "$OUT/files" "$OUT/extra"
export PYTHONUNBUFFERED=1 VIRNUCPRO_PYTHON=${VIRNUCPRO_PYTHON:-$(command -v python3)} BENCH_PROGRESS=plain
vitest() { node node_modules/vitest/vitest.mjs "$@"; }
log() { echo "== $(date -u +%H:%M:%S) $*" | tee -a "$OUT/files/session.log"; }

log "machine"; { nvidia-smi -L; python3 -c 'import torch, sys; print(sys.version.split()[0], torch.__version__, torch.cuda.device_count())'; node --version; } >> "$OUT/files/session.log" 2>&1

keep_report() { cp reports/latest.md "$OUT/files/$1-report.md"; cp reports/latest.json "$OUT/files/$1-report.json"; }

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
  keep_report before
fi

if want bench; then
  log "smoke: full-size optimised reference run on the small sample"
  PYTHONPATH=fixtures/reference-pipeline python3 -m virnucpro_ref predict fixtures/samples/synth-small-fixed500-s42.fa -o /tmp/smoke --force --model-size full --device cuda 2>&1 | grep -E "throughput|host wait|Model load|completed in|Total wall|Error|error" | tee -a "$OUT/files/session.log"
  log "bench suite"
  vitest bench --run 2>&1 | tee "$OUT/extra/bench.log" | tail -n 60
  keep_report bench
  timeline=$(ls -t .runs/*/gpu-timeline.arrow 2>/dev/null | head -1)
  log "pyarrow reads $timeline"
  python3 -c "import sys, pyarrow.ipc as ipc; t = ipc.open_file(sys.argv[1]).read_all(); print(t.schema); print(t.num_rows, 'rows'); print(t.to_pandas().groupby('stage')['utilisation_pct'].mean())" "$timeline" >> "$OUT/files/session.log" 2>&1
fi

if want sampler; then
  log "sampler CPU cost"
  node node_modules/tsx/dist/cli.mjs scripts/measure-sampler.ts --seconds 20 --interval 500 --interval 100 >> "$OUT/files/session.log" 2>&1
fi

if want validate; then
  log "fresh vanilla vs optimised (full size)"
  VALIDATE_FRESH_VANILLA=1 vitest run --project validations -t "fresh" 2>&1 | tee "$OUT/extra/validate.log" | tail -n 40
  keep_report validate
fi

if want overhead; then
  for pass in cold warm; do
    log "harness overhead ($pass): benches/scaling.bench.ts on GPU 0 under the harness"
    t0=$(date +%s.%N)
    BENCH_GPUS=0 vitest bench --run benches/scaling.bench.ts > "$OUT/extra/overhead-$pass.log" 2>&1
    t1=$(date +%s.%N)
    echo "vitest bench process ($pass): $(python3 -c "print(round($t1 - $t0, 1))") s" | tee -a "$OUT/files/session.log"
  done
  keep_report overhead
  # Per case: runs (GPUs, wall, pipeline's own total, warm-up) and the overhead block the harness measured.
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for c in r["cases"]:
    print(c["id"], [(x["gpuCount"], round(x["wallSeconds"], 2), x["pipelineWallSeconds"], x.get("warmup")) for x in c["runs"]])
    print(json.dumps(c.get("overhead"), indent=1))
' reports/latest.json >> "$OUT/files/session.log" 2>&1
  # The same command alone, into a fresh output folder: the in-run overhead is under-harness wall − alone wall.
  python3 -c '
import json, os, subprocess, sys, tempfile, time
c = json.load(open(sys.argv[1])); cmd = c["command"]; cmd[cmd.index("-o") + 1] = tempfile.mkdtemp()
t = time.time(); p = subprocess.run(cmd, env={**os.environ, **c["env"]}, cwd=c["cwd"], capture_output=True, text=True); wall = time.time() - t
total = [l for l in p.stdout.splitlines() if "Total wall time" in l]
print("alone: exit", p.returncode, "wall", round(wall, 2), "s;", total[-1] if total else "no total line")
' "$(ls -td .runs/*-optimised-1gpu-*/ | head -1)command.json" >> "$OUT/files/session.log" 2>&1
  tail -n 40 "$OUT/files/session.log"
fi

if want slowdown; then
  log "detection power: scaling case on GPU 0, 5 runs plain vs 5 runs with --inject slow:1.3"
  BENCH_GPUS=0 BENCH_REPEATS=5 vitest bench --run benches/scaling.bench.ts > "$OUT/extra/slowdown-base.log" 2>&1
  keep_report slowdown-base
  BENCH_GPUS=0 BENCH_REPEATS=5 VIRNUCPRO_EXTRA_ARGS="--inject slow:1.3" vitest bench --run benches/scaling.bench.ts > "$OUT/extra/slowdown-new.log" 2>&1
  keep_report slowdown-new
  node node_modules/tsx/dist/cli.mjs scripts/compare-reports.ts "$OUT/files/slowdown-base-report.json" "$OUT/files/slowdown-new-report.json" > "$OUT/files/slowdown-comparison.md"
  echo "compare-reports exit $? (1 = regression found)" | tee -a "$OUT/files/session.log"
fi

tail -n +1 "$OUT"/extra/digest-*.json >> "$OUT/files/session.log" 2>/dev/null
tar -czf "$OUT/runs.tar.gz" --exclude='*.pt' "$OUT/extra" reports .runs/*/command.json .runs/*/result.json .runs/*/stdout.log .runs/*/stderr.log .runs/*/gpu-timeline.arrow 2>/dev/null
rm -rf "$OUT/extra"
log "done"
