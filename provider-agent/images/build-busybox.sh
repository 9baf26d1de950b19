#!/usr/bin/env bash
# Builds GridLedger's local test image from Debian's busybox-static and imports it into a container engine through
# its Docker-compatible API socket (dockerd or Podman): no registry is reachable, so every image is built here.
#
#   provider-agent/images/build-busybox.sh [--socket /var/run/docker.sock] [--tag gridledger/busybox:test] [--force]
#
# Idempotent: imports nothing when the engine already has the tag (unless --force). Prints the image id (what a run
# spec pins: sha256:<64 hex>) and nothing else. The rootfs: /bin/busybox and one symlink per applet, /etc/passwd and /etc/group
# (root, nobody 65534, job 1000), empty /tmp /proc /sys /dev and the mount points /input /output /scratch.
set -euo pipefail

socket=/var/run/docker.sock
tag=gridledger/busybox:test
force=false
while (($#)); do
  case $1 in
    --socket) socket=$2 && shift 2 ;;
    --tag) tag=$2 && shift 2 ;;
    --force) force=true && shift ;;
    *) echo "usage: $0 [--socket PATH] [--tag REPO:TAG] [--force]" >&2 && exit 2 ;;
  esac
done
[[ -S $socket ]] || { echo "build-busybox: no engine socket at $socket" >&2 && exit 1; }
busybox=/bin/busybox
[[ -x $busybox ]] || { echo "build-busybox: no $busybox (apt-get install -y busybox-static)" >&2 && exit 1; }
# The image has no libc: Debian's busybox package is dynamically linked (ldd lists its libraries), busybox-static not.
if ldd "$busybox" >/dev/null 2>&1; then
  echo "build-busybox: $busybox is dynamically linked: apt-get install -y busybox-static" >&2 && exit 1
fi

api() { curl -sS --unix-socket "$socket" "$@"; }
if ! $force; then
  existing=$(api "http://engine/images/$tag/json" | sed -n 's/^{"Id":"\(sha256:[0-9a-f]\{64\}\)".*/\1/p')
  [[ -z $existing ]] || { echo "$existing" && exit 0; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gridledger-busybox-XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev,input,output,scratch}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [[ $applet == busybox || -e $root/bin/$applet ]] || ln -s busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\njob:x:1000:1000:job:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\njob:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"
chmod 1777 "$root/tmp"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$root" -cf "$work/rootfs.tar" .

repo=${tag%:*} version=${tag##*:}
changes='CMD%20%5B%22%2Fbin%2Fsh%22%5D' # CMD ["/bin/sh"], one Dockerfile instruction per changes= parameter
response=$(api -X POST -H 'Content-Type: application/x-tar' --data-binary "@$work/rootfs.tar" \
  "http://engine/images/create?fromSrc=-&repo=$repo&tag=$version&changes=$changes")
# Podman's compatible API ignores tag= on an import (it tags :latest): tag the imported id explicitly on both engines.
id=$(sed -n 's/.*"status":"\(sha256:[0-9a-f]\{64\}\)".*/\1/p' <<<"$response" | tail -n 1)
[[ -n $id ]] || { echo "build-busybox: the engine did not import $tag: $response" >&2 && exit 1; }
code=$(api -o "$work/tag.out" -w '%{http_code}' -X POST "http://engine/images/$id/tag?repo=$repo&tag=$version")
[[ $code == 2* ]] || { echo "build-busybox: tagging $id as $tag failed: $(<"$work/tag.out")" >&2 && exit 1; }
echo "$id"
