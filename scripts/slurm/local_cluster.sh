#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for tests and trying the cluster run out (root only).
#
#   scripts/slurm/local_cluster.sh start DIR    # munged (unless running), slurmctld, slurmd; waits
#                                               # until the node is idle; prints the SLURM_CONF line
#   export SLURM_CONF=DIR/slurm.conf            # then sbatch/squeue/sinfo talk to it
#   scripts/slurm/local_cluster.sh stop DIR     # stops the daemons this script started (pid files)
#
# Needs Debian's packages: apt-get install slurm-wlm munge (scripts/setup.sh deps installs them).
# The cluster's state, logs and pid files live in DIR; its ports are DECRUFT_SLURM_PORT (default
# 16817) and the next one, so it does not collide with a system Slurm. Exit status 3: cannot start
# here (not root, packages missing, a daemon failed; the reason is printed).
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
conf=$dir/slurm.conf

stop() {
  for f in slurmd slurmctld munged; do
    if [ -s "$dir/$f.pid" ]; then
      pid=$(cat "$dir/$f.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/$f.pid"
    fi
  done
}

cannot() { echo "local_cluster: $*" >&2; stop; exit 3; }

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

[ "$(id -u)" = 0 ] || cannot "needs root (slurmd runs jobs as their user)"
for b in munged mungekey munge slurmctld slurmd sbatch sinfo; do
  command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || cannot "$b not found: apt-get install slurm-wlm munge"
done
export PATH=$PATH:/usr/sbin

# munge: the system daemon when it answers, else one started here with the system key (created
# when missing).
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create --keyfile=/etc/munge/munge.key >/dev/null 2>&1 ||
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
  fi
  chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  chmod 0400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
  if id munge >/dev/null 2>&1; then
    su -s /bin/sh munge -c "/usr/sbin/munged" || cannot "munged did not start"
  else
    munged --force || cannot "munged did not start"
  fi
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  [ -s /run/munge/munged.pid ] && cp /run/munge/munged.pid "$dir/munged.pid"
  munge -n | unmunge >/dev/null 2>&1 || cannot "munge does not answer (see /var/log/munge/munged.log)"
fi

host=$(hostname -s)
port=${DECRUFT_SLURM_PORT:-16817}
cpus=$(nproc)
mem=$(free -m | awk '/^Mem:/ {print int($2 * 0.9)}')
mkdir -p "$dir/state" "$dir/spool"
cat > "$conf" <<CONF
ClusterName=decruft
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MaxArraySize=10001
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$conf
slurmctld -f "$conf" || cannot "slurmctld did not start (see $dir/slurmctld.log)"
slurmd -f "$conf" || cannot "slurmd did not start (see $dir/slurmd.log)"
for _ in $(seq 150); do
  state=$(sinfo -h -N -o '%t' 2>/dev/null | head -1 || true)
  case $state in idle|mix|alloc) echo "export SLURM_CONF=$conf"; exit 0 ;; esac
  sleep 0.2
done
cannot "the node did not come up (state '${state:-none}'; see $dir/slurmctld.log and $dir/slurmd.log)"
