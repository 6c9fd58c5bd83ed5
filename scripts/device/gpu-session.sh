#!/usr/bin/env bash
# The GPU half of the project's checks, run in one go on a lent GPU machine (no Node there: the caller unpacks
# .device-carry first). Writes everything under $OUT: the bench reports, the fresh vanilla-vs-optimised
# validation, CPU-vs-GPU weight digests, a pyarrow read of a GPU timeline, and the sampler's own CPU cost.
# Usage: OUT=/tmp/out bash scripts/device/gpu-session.sh [all|bench|ab|validate|digests|sampler|projection|analyse|lifeline|overhead|slowdown|startup] ...
#   startup = the pieces of finding Python and capturing the machine, timed (import torch, the probe, nvidia-smi, git).
#   lifeline = kill -9 of `vitest bench` mid-run on the GPUs: seconds until no process of the run is left and the GPUs
#   run none of its processes (issue 17); not part of `all`.
#   overhead = the harness's own cost (issue 16): the large synthetic scaling case on GPU 0 under the harness, twice
#   (the second is warm), then the same pipeline command alone; slowdown = that case again with --inject slow:1.3 and
#   BENCH_REPEATS=5 next to a plain one, compared by compare-reports (a real regression must be found).
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

if want overhead; then
  for pass in cold warm; do
    log "harness overhead ($pass): benches/scaling.bench.ts on GPU 0 under the harness"
    t0=$(date +%s.%N)
    BENCH_GPUS=0 vitest bench --run benches/scaling.bench.ts > "$OUT/extra/overhead-$pass.log" 2>&1
    t1=$(date +%s.%N)
    echo "vitest bench process ($pass): $(python3 -c "print(round($t1 - $t0, 1))") s" | tee -a "$OUT/files/session.log"
  done
  keep_report overhead bench
  # Per case: runs (GPUs, wall, pipeline's own total, warm-up) and the overhead block the harness measured.
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for c in r["cases"]:
    print(c["id"], [(x["gpuCount"], round(x["wallSeconds"], 2), x["pipelineWallSeconds"], x.get("warmup")) for x in c["runs"]])
    print(json.dumps(c.get("overhead"), indent=1))
' reports/latest-bench.json >> "$OUT/files/session.log" 2>&1
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

if want startup; then
  # What finding Python and capturing the machine cost on this machine, piece by piece (issue 16: the first case's
  # wait before its pipeline starts). Each timed three times; the first is cold.
  log "start-up pieces: import torch, the Python probe (with and without NVML-based CUDA check), nvidia-smi, git"
  t() { local s=$(date +%s.%N); "$@" > /dev/null 2>&1; echo "$(python3 -c "print(round($(date +%s.%N) - $s, 3))")"; }
  probe='import json, sys, platform; import torch; cuda = torch.cuda.is_available(); print(json.dumps([torch.__version__, cuda, torch.version.cuda, torch.cuda.device_count() if cuda else 0]))'
  for i in 1 2 3; do
    echo "pass $i: python3 -c pass $(t python3 -c pass) s; import torch $(t python3 -c 'import torch') s; probe $(t python3 -c "$probe") s; probe NVML $(t env PYTORCH_NVML_BASED_CUDA_CHECK=1 python3 -c "$probe") s; nvidia-smi $(t nvidia-smi) s; nvidia-smi query $(t nvidia-smi --query-gpu=index,name,uuid,memory.total,driver_version --format=csv) s; git status $(t git status --porcelain) s" | tee -a "$OUT/files/session.log"
  done
  PYTORCH_NVML_BASED_CUDA_CHECK=1 python3 -c "$probe" | tee -a "$OUT/files/session.log"
  python3 -c "$probe" | tee -a "$OUT/files/session.log"
fi

if want slowdown; then
  log "detection power: scaling case on GPU 0, 5 runs plain vs 5 runs with --inject slow:1.3"
  BENCH_GPUS=0 BENCH_REPEATS=5 vitest bench --run benches/scaling.bench.ts > "$OUT/extra/slowdown-base.log" 2>&1
  keep_report slowdown-base bench
  BENCH_GPUS=0 BENCH_REPEATS=5 VIRNUCPRO_EXTRA_ARGS="--inject slow:1.3" vitest bench --run benches/scaling.bench.ts > "$OUT/extra/slowdown-new.log" 2>&1
  keep_report slowdown-new bench
  node node_modules/tsx/dist/cli.mjs scripts/compare-reports.ts "$OUT/files/slowdown-base-report.json" "$OUT/files/slowdown-new-report.json" > "$OUT/files/slowdown-comparison.md"
  echo "compare-reports exit $? (1 = regression found)" | tee -a "$OUT/files/session.log"
fi

tail -n +1 "$OUT"/extra/digest-*.json >> "$OUT/files/session.log" 2>/dev/null
tar -czf "$OUT/runs.tar.gz" --exclude='*.pt' "$OUT/extra" reports .runs/*/command.json .runs/*/result.json .runs/*/stdout.log .runs/*/stderr.log .runs/*/gpu-timeline.arrow 2>/dev/null
rm -rf "$OUT/extra"
log "done"
