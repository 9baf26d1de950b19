#!/usr/bin/env bash
# Installs (Debian packages) and starts the container engines provider-agent's runtime suite runs against, then builds
# the local test image on each: dockerd on /var/run/docker.sock and Podman's Docker-compatible service on
# /run/podman/podman.sock. No registry is reachable, so nothing is pulled. Idempotent: what is installed, configured
# or running is left as it is. Quiet: one line when both engines answer, the engine's log tail when one does not.
#
#   bash provider-agent/engines/start-engines.sh        (as root; .ci/run calls it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
logs=${GRIDLEDGER_ENGINE_LOGS:-/var/log/gridledger}
docker_socket=/var/run/docker.sock
podman_socket=/run/podman/podman.sock

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
need=()
for package in docker.io busybox-static podman curl; do
  installed "$package" || need+=("$package")
done
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Podman 4.3 on these machines runs containers only with runc, cgroupfs and default ulimits no higher than the host's
# (../shared/MACHINE-NOTES.md). Written only where no containers.conf exists, or where it is this script's own.
conf=/etc/containers/containers.conf
marker='# written by provider-agent/engines/start-engines.sh'
if [[ ! -e $conf ]] || grep -qF "$marker" "$conf"; then
  mkdir -p /etc/containers
  nofile=$(ulimit -Hn)
  [[ $nofile == unlimited ]] && nofile=1048576
  nproc=$(ulimit -Hu)
  [[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
  wanted="$marker
[containers]
default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]
[engine]
runtime = \"runc\"
cgroup_manager = \"cgroupfs\"
events_logger = \"file\""
  [[ -e $conf && $(<"$conf") == "$wanted" ]] || printf '%s\n' "$wanted" >"$conf"
elif ! grep -q 'cgroup_manager *= *"cgroupfs"' "$conf"; then
  echo "start-engines: $conf exists and does not set cgroup_manager = \"cgroupfs\"; Podman may fail here" >&2
fi

ping() { curl -sf --max-time 2 --unix-socket "$1" http://engine/_ping >/dev/null 2>&1; }
# start NAME SOCKET COMMAND...: starts the engine in the background (detached from this shell) unless it answers.
start() {
  local name=$1 socket=$2
  shift 2
  ping "$socket" && return 0
  mkdir -p "$logs" "$(dirname "$socket")"
  # From /: the engine outlives this checkout, and Podman cannot start containers once its working directory is
  # deleted (runc fails with "write child: broken pipe").
  (cd / && setsid nohup "$@" >>"$logs/$name.log" 2>&1 </dev/null &)
  for _ in $(seq 1 150); do
    ping "$socket" && return 0
    sleep 0.2
  done
  echo "start-engines: $name did not answer on $socket within 30 s; the end of $logs/$name.log:" >&2
  tail -n 20 "$logs/$name.log" >&2
  return 1
}
start dockerd "$docker_socket" dockerd --storage-driver overlay2
start podman "$podman_socket" podman system service --time=0 "unix://$podman_socket"

for socket in "$docker_socket" "$podman_socket"; do
  bash "$here/../images/build-busybox.sh" --socket "$socket" >/dev/null
done
version() { curl -sf --unix-socket "$1" http://engine/version | sed -n 's/.*"Version":"\([^"]*\)".*/\1/p' | head -n 1; }
echo "container engines ready: dockerd $(version "$docker_socket"), podman $(version "$podman_socket")"
