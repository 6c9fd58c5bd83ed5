#!/usr/bin/env bash
# Stops what scripts/slurm/start-local-cluster.sh started (by the pids it recorded), cancelling any jobs first.
set -uo pipefail
DIR="${SLURM_LOCAL_DIR:-/tmp/virnucpro-slurm}"
[ -f "$DIR/pids" ] || { echo "stop-local-cluster: nothing recorded in $DIR/pids"; exit 0; }
export SLURM_CONF="$DIR/slurm.conf"
scancel --full --quiet --user "$(id -un)" 2>/dev/null || true

stop() { # name pid: SIGTERM, up to 10 s, then SIGKILL
  local name="$1" pid="$2"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "stop-local-cluster: $name ($pid) ignored SIGTERM; killing"
  kill -KILL "$pid" 2>/dev/null || true
}
# Reverse order of start: slurmd, slurmctld, then munged (which the other two need while stopping).
tac "$DIR/pids" | while read -r name pid; do
  if [ "$name" = munged ] && [ -f "$DIR/munge/munged.pid" ]; then pid="$(cat "$DIR/munge/munged.pid")"; fi
  stop "$name" "$pid"
done
rm -f "$DIR/pids"
echo "stop-local-cluster: stopped"
