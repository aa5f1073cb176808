#!/usr/bin/env bash
# make test-containers: the Node services' images built from docker/Dockerfile and run here with podman.
#  1. installs podman, runc, debootstrap and docker-compose (Debian packages) when missing;
#  2. builds the stand-in for node:22-bookworm-slim once (docker/test/stand-in-base.sh; Docker Hub is out of reach),
#     or uses NODE_IMAGE when it is set (pulled if missing);
#  3. builds the api, worker, stub, idp and web images on it, timing each, and prints their sizes;
#  4. validates docker-compose.yml with docker-compose config;
#  5. runs scripts/containers-test.ts: emulators on the host, the five containers on the host network, a job
#     POST → SUCCEEDED through them, non-root, HEALTHCHECKs, clean SIGTERM stops.
#   BUILD_LOGS  a directory to keep each image's build log in (every line stamped with the seconds since its build began)
# Any failure exits non-zero. Must run as root (podman here runs rootful; apt-get installs).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=docker/test
export CONTAINERS_CONF=$PWD/$here/containers.conf
IMAGE_PREFIX=${IMAGE_PREFIX:-localhost/imggen-}
IMAGE_TAG=${IMAGE_TAG:-test}
SERVICES=(api worker stub idp web)
say() { echo "== test-containers: $*"; }
started=$(date +%s)

# debootstrap lives in /usr/sbin, which a minimal PATH (CI's) leaves out: it would be installed again at every run
export PATH="$PATH:/usr/sbin:/sbin"
missing=()
for tool in podman:podman runc:runc debootstrap:debootstrap docker-compose:docker-compose; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  # never a silent skip: without these tools nothing here can be proven
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    say "FAIL: ${missing[*]} missing, and they can only be installed as root with apt-get (uid $(id -u)," \
      "apt-get $(command -v apt-get >/dev/null && echo present || echo absent)); install them or run as root"
    exit 1
  fi
  say "installing ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ "$(id -u)" != 0 ]; then
  say "FAIL: must run as root (podman runs rootful here: runc, host networking, chown of the data volume)"
  exit 1
fi

base_started=$(date +%s)
if [ -n "${NODE_IMAGE:-}" ]; then
  # where Docker Hub is reachable: the real base, e.g. NODE_IMAGE=docker.io/library/node:22-bookworm-slim
  podman image exists "$NODE_IMAGE" || podman pull --quiet "$NODE_IMAGE" >/dev/null
  BASE=$NODE_IMAGE
else
  BASE=$($here/stand-in-base.sh)
fi
base_seconds=$(($(date +%s) - base_started))
say "base image $BASE ready in ${base_seconds} s"

# --format docker keeps HEALTHCHECK (the OCI format has none); --jobs 2 builds the build and runtime stages at once
# (compiling while the production dependencies install). Each target is its own build (buildah 1.28 builds one
# target at a time); the first builds the shared stages, the others find every shared layer in the cache.
build_args=(--format docker --jobs 2 --network=host --build-arg "NODE_IMAGE=$BASE" -f docker/Dockerfile)
# The npm registry may sit behind a TLS-intercepting proxy: its CA goes in as a build secret, never into a layer.
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s "$NODE_EXTRA_CA_CERTS" ]; then
  build_args+=(--secret "id=extra_ca,src=$NODE_EXTRA_CA_CERTS")
fi
declare -A build_seconds
for service in "${SERVICES[@]}"; do
  t=$(date +%s)
  log=$(mktemp)
  # each line of the build's output stamped with the seconds since the build began (kept in BUILD_LOGS when set)
  if ! podman build "${build_args[@]}" --target "$service" -t "$IMAGE_PREFIX$service:$IMAGE_TAG" . 2>&1 |
    while IFS= read -r line; do printf '%4d %s\n' $(($(date +%s) - t)) "$line"; done >"$log"; then
    tail -40 "$log"
    rm -f "$log"
    say "FAIL: the $service image did not build"
    exit 1
  fi
  if [ -n "${BUILD_LOGS:-}" ]; then
    mkdir -p "$BUILD_LOGS" && mv "$log" "$BUILD_LOGS/$service.log"
  fi
  rm -f "$log"
  build_seconds[$service]=$(($(date +%s) - t))
done
say "images (the first build compiles and installs for all; the others reuse its layers):"
for service in "${SERVICES[@]}"; do
  printf '   %-7s %-32s %8s  built in %3d s\n' "$service" "$IMAGE_PREFIX$service:$IMAGE_TAG" \
    "$(podman image inspect --format '{{.Size}}' "$IMAGE_PREFIX$service:$IMAGE_TAG" | numfmt --to=si)B" \
    "${build_seconds[$service]}"
done
printf '   %-7s %-32s %8s\n' base "$BASE" "$(podman image inspect --format '{{.Size}}' "$BASE" | numfmt --to=si)B"

for image in "${SERVICES[@]}"; do
  user=$(podman image inspect --format '{{.Config.User}}' "$IMAGE_PREFIX$image:$IMAGE_TAG")
  health=$(podman image inspect --format '{{if .Config.Healthcheck}}{{.Config.Healthcheck.Test}}{{end}}' "$IMAGE_PREFIX$image:$IMAGE_TAG")
  [ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] || { say "FAIL: $image has no non-root USER"; exit 1; }
  [ -n "$health" ] || { say "FAIL: $image has no HEALTHCHECK"; exit 1; }
done
say "every image has USER node and a HEALTHCHECK"

if [ -f docker-compose.yml ]; then
  docker-compose -f docker-compose.yml config --quiet
  say "docker-compose.yml is valid (docker-compose config)"
fi

run_started=$(date +%s)
IMAGE_PREFIX=$IMAGE_PREFIX IMAGE_TAG=$IMAGE_TAG npx tsx --tsconfig scripts/tsconfig.tsx.json scripts/containers-test.ts
total=0
for service in "${SERVICES[@]}"; do total=$((total + build_seconds[$service])); done
say "passed in $(($(date +%s) - started)) s: base image ${base_seconds} s, builds ${total} s," \
  "containers run $(($(date +%s) - run_started)) s"
