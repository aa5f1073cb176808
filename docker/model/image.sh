#!/usr/bin/env bash
# Builds (build) or pushes to ECR (push) the model container image. Used by `make model-build` / `make model-push`.
#   CONTAINER_ENGINE  podman or docker (default: podman when installed, else docker when its daemon answers)
#   MODEL_BASE_IMAGE  the PyTorch CUDA runtime image to build on (default: the Dockerfile's BASE_IMAGE)
#   MODEL_IMAGE       local image name (default imggen-model:latest)
#   push: AWS_ACCOUNT_ID, AWS_REGION (required), MODEL_ECR_REPOSITORY (default imggen-model),
#         MODEL_IMAGE_TAG (default: the git commit, short)
set -euo pipefail
cd "$(dirname "$0")"

fail() {
  echo "model image: $*" >&2
  exit 1
}

DEFAULT_BASE=$(sed -n 's/^ARG BASE_IMAGE=//p' Dockerfile)
BASE_IMAGE=${MODEL_BASE_IMAGE:-$DEFAULT_BASE}
IMAGE=${MODEL_IMAGE:-imggen-model:latest}

engine() {
  if [ -n "${CONTAINER_ENGINE:-}" ]; then
    command -v "$CONTAINER_ENGINE" >/dev/null || fail "CONTAINER_ENGINE=$CONTAINER_ENGINE is not installed"
    echo "$CONTAINER_ENGINE"
  elif command -v podman >/dev/null; then
    echo podman
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    echo docker
  else
    fail "no container engine: install podman (apt-get install podman runc) or run a Docker daemon, or set CONTAINER_ENGINE"
  fi
}

build() {
  local tool
  tool=$(engine)
  if ! "$tool" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    echo "model image: pulling the base image $BASE_IMAGE" >&2
    "$tool" pull "$BASE_IMAGE" >&2 ||
      fail "the base image $BASE_IMAGE is neither local nor pullable; pull it where the registry is reachable, or set MODEL_BASE_IMAGE to a local PyTorch CUDA runtime image (pytorch/pytorch:<version>-cuda12.x-cudnn9-runtime)"
  fi
  "$tool" build --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$IMAGE" .
  echo "model image: built $IMAGE on $BASE_IMAGE"
}

push() {
  local tool registry repository tag remote
  tool=$(engine)
  [ -n "${AWS_ACCOUNT_ID:-}" ] || fail "set AWS_ACCOUNT_ID (the account of the ECR registry)"
  [ -n "${AWS_REGION:-}" ] || fail "set AWS_REGION (the region of the ECR registry)"
  command -v aws >/dev/null || fail "the aws CLI is needed for the ECR login (aws ecr get-login-password)"
  "$tool" image inspect "$IMAGE" >/dev/null 2>&1 || fail "no local image $IMAGE: run make model-build first"
  registry="$AWS_ACCOUNT_ID.dkr.ecr.$AWS_REGION.amazonaws.com"
  repository=${MODEL_ECR_REPOSITORY:-imggen-model}
  tag=${MODEL_IMAGE_TAG:-$(git rev-parse --short HEAD)}
  remote="$registry/$repository:$tag"
  aws ecr get-login-password --region "$AWS_REGION" | "$tool" login --username AWS --password-stdin "$registry"
  "$tool" tag "$IMAGE" "$remote"
  "$tool" push "$remote"
  echo "model image: pushed $remote"
}

case "${1:-}" in
  build) build ;;
  push) push ;;
  *) fail "usage: image.sh build|push" ;;
esac
