#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (as root), for CI and for developers without a cluster:
# munged, `slurmctld -D` and `slurmd -D` with a generated slurm.conf under $SLURM_LOCAL_DIR, a few fake GPUs
# (character devices: symlinks to /dev/null) declared in gres.conf, and no accounting (no slurmdbd).
# Prints the line to source (`export SLURM_CONF=…`); scripts/slurm/stop-local-cluster.sh stops what this started.
# Facts behind the choices (found on Debian 12's Slurm 22.05):
#  - the daemons run as `slurmctld`/`slurmd`: under Debian's `*-wlm` names the node's Gres= line was dropped;
#  - gres.conf File= must name character devices, or CUDA_VISIBLE_DEVICES stays empty in jobs;
#  - there is no systemd, so nothing starts the services: we start them and record their pids.
set -euo pipefail

DIR="${SLURM_LOCAL_DIR:-/tmp/virnucpro-slurm}"
GPUS="${SLURM_LOCAL_GPUS:-4}"
NODE="$(hostname -s)"

if [ "$(id -u)" -ne 0 ]; then echo "start-local-cluster: must run as root (the daemons run as root here)" >&2; exit 1; fi

missing=()
for pair in munged:munge slurmctld-wlm:slurmctld slurmd-wlm:slurmd sbatch:slurm-client; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "start-local-cluster: installing ${missing[*]}"
  apt-get update -qq
  # policy-rc.d or the missing systemd keep apt from starting the services: we start them below.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f "$DIR/pids" ]; then
  echo "start-local-cluster: $DIR/pids exists (a cluster may be running); stopping it first"
  bash "$(dirname "$0")/stop-local-cluster.sh"
fi
mkdir -p "$DIR"/{state,spool,log,dev,munge}
# munged runs as the munge user: it must be able to reach its folder (mktemp -d makes 0700 folders).
chmod 755 "$DIR"
: > "$DIR/pids"

# Fake GPUs: Slurm only needs device files to hand out; /dev/null is a character device.
gres_files=""
for ((i = 0; i < GPUS; i++)); do ln -sfn /dev/null "$DIR/dev/fakegpu$i"; done
if [ "$GPUS" -gt 0 ]; then gres_files="Name=gpu File=$DIR/dev/fakegpu[0-$((GPUS - 1))]"; fi

# The node's own hardware line (CPUs, sockets, memory) from slurmd, so slurmd does not drain itself for a mismatch.
hw="$(/usr/sbin/slurmd-wlm -C | head -n 1 | sed -E "s/^NodeName=[^ ]+ //")"
gres_line=""
if [ "$GPUS" -gt 0 ]; then gres_line="Gres=gpu:$GPUS"; fi

cat > "$DIR/slurm.conf" <<CONF
ClusterName=virnucpro-local
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=10
MinJobAge=300
NodeName=$NODE $hw $gres_line State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
echo "$gres_files" > "$DIR/gres.conf"
export SLURM_CONF="$DIR/slurm.conf"

# munged with its own socket, so a munged the machine already runs is left alone.
chown munge:munge "$DIR/munge"
runuser -u munge -- /usr/sbin/munged --socket="$DIR/munge/munge.socket" --pid-file="$DIR/munge/munged.pid" \
  --log-file="$DIR/munge/munged.log" --seed-file="$DIR/munge/munged.seed"
for _ in $(seq 50); do [ -f "$DIR/munge/munged.pid" ] && break; sleep 0.1; done
echo "munged $(cat "$DIR/munge/munged.pid")" >> "$DIR/pids"

# exec -a: the process must be called slurmctld/slurmd, not slurmctld-wlm/slurmd-wlm (see the header).
(exec -a slurmctld /usr/sbin/slurmctld-wlm -D -i >> "$DIR/log/slurmctld.stdout" 2>&1) &
echo "slurmctld $!" >> "$DIR/pids"
for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.2; done
(exec -a slurmd /usr/sbin/slurmd-wlm -D >> "$DIR/log/slurmd.stdout" 2>&1) &
echo "slurmd $!" >> "$DIR/pids"

# Ready when the node is idle (it may pass through unknown/down* while slurmd registers).
state=""
for _ in $(seq 150); do
  state="$(sinfo --noheader -n "$NODE" -o '%t' 2>/dev/null | head -n 1 || true)"
  [ "$state" = "idle" ] && break
  sleep 0.2
done
if [ "$state" != "idle" ]; then
  echo "start-local-cluster: node $NODE is '${state:-unknown}', not idle; logs in $DIR/log" >&2
  tail -n 20 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log" >&2 || true
  exit 1
fi
echo "start-local-cluster: node $NODE idle with $GPUS fake GPU(s); no accounting."
echo "export SLURM_CONF=$DIR/slurm.conf"
