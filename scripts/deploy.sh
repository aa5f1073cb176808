#!/usr/bin/env bash
# Deploys to an AWS environment whose infrastructure Terraform manages (deploy/terraform/envs/<env>):
#   scripts/deploy.sh api <env>       build the api and worker images, push them to ECR (tag: the git commit),
#                                     register task definitions with the new images, roll the ECS services and
#                                     wait until they are stable
#   scripts/deploy.sh frontend <env>  build the dashboard, write its config.json, sync to S3, invalidate CloudFront
#   scripts/deploy.sh model <env>     push the model image (make model-build first) to the env's ECR repository
# Everything environment-specific comes from the env's Terraform outputs:
#   ecr_repository_urls (map: api, worker, model), cluster_name, service_names (map: api, worker), api_base_url,
#   frontend_url, web_bucket_name, cloudfront_distribution_id, web_runtime_config (the dashboard's config.json)
# Needs: terraform (state access), aws CLI v2 with credentials for the env, jq, and podman or docker.
# CONTAINER_ENGINE picks the engine; NODE_IMAGE the base image (default: the Dockerfile's).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "deploy: $*" >&2
  exit 1
}

what=${1:-}
env=${2:-}
[ -n "$what" ] && [ -n "$env" ] || fail "usage: scripts/deploy.sh api|frontend|model <env>   (make deploy-api ENV=dev)"
tf_dir=deploy/terraform/envs/$env
[ -d "$tf_dir" ] || fail "no Terraform environment $tf_dir"
for tool in terraform aws jq; do
  command -v "$tool" >/dev/null || fail "$tool is needed"
done

output() { terraform -chdir="$tf_dir" output -raw "$1"; }
output_map() { terraform -chdir="$tf_dir" output -json "$1" | jq -er --arg key "$2" '.[$key]'; }

engine() {
  if [ -n "${CONTAINER_ENGINE:-}" ]; then
    echo "$CONTAINER_ENGINE"
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    echo docker
  elif command -v podman >/dev/null; then
    echo podman
  else
    fail "no container engine (docker or podman)"
  fi
}

region() { aws configure get region 2>/dev/null || echo "${AWS_REGION:?set AWS_REGION}"; }

ecr_login() {
  local registry=${1%%/*}
  aws ecr get-login-password --region "$(region)" | "$(engine)" login --username AWS --password-stdin "$registry"
}

tag() { git rev-parse --short=12 HEAD; }

deploy_api() {
  local tool cluster image_tag service repo image td_arn td_json new_arn
  tool=$(engine)
  cluster=$(output cluster_name)
  image_tag=$(tag)
  [ -z "$(git status --porcelain --untracked-files=no)" ] || fail "the work tree has changes: commit them (images are tagged with the commit)"
  for service in api worker; do
    repo=$(output_map ecr_repository_urls "$service")
    image="$repo:$image_tag"
    "$tool" build -f docker/Dockerfile --target "$service" ${NODE_IMAGE:+--build-arg NODE_IMAGE=$NODE_IMAGE} -t "$image" .
    ecr_login "$repo"
    "$tool" push "$image"
    # a new task definition revision: the current one with this image in the container that runs the repository's
    td_arn=$(aws ecs describe-services --cluster "$cluster" --services "$(output_map service_names "$service")" \
      --query 'services[0].taskDefinition' --output text)
    td_json=$(aws ecs describe-task-definition --task-definition "$td_arn" --query taskDefinition --output json |
      jq --arg repo "$repo" --arg image "$image" '
        .containerDefinitions |= map(if (.image | startswith($repo + ":") or startswith($repo + "@")) then .image = $image else . end)
        | del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities, .registeredAt, .registeredBy)')
    new_arn=$(aws ecs register-task-definition --cli-input-json "$td_json" \
      --query taskDefinition.taskDefinitionArn --output text)
    aws ecs update-service --cluster "$cluster" --service "$(output_map service_names "$service")" \
      --task-definition "$new_arn" >/dev/null
    echo "deploy: $service → $new_arn ($image)"
  done
  echo "deploy: waiting for the services to be stable"
  aws ecs wait services-stable --cluster "$cluster" \
    --services "$(output_map service_names api)" "$(output_map service_names worker)"
  echo "deploy: api and worker run $image_tag; $(output api_base_url)"
}

deploy_frontend() {
  local bucket distribution web_url invalidation
  bucket=$(output web_bucket_name)
  distribution=$(output cloudfront_distribution_id)
  web_url=$(output frontend_url)
  npm run -s build:web
  # the config.json Terraform writes to the bucket too: the same values, so this sync does not undo it
  terraform -chdir="$tf_dir" output -json web_runtime_config >apps/web/dist/config.json
  # hashed assets are immutable; index.html and config.json must be fetched anew
  aws s3 sync apps/web/dist/assets "s3://$bucket/assets" --delete \
    --cache-control 'public, max-age=31536000, immutable'
  aws s3 sync apps/web/dist "s3://$bucket" --delete --exclude 'assets/*' --cache-control 'no-cache'
  invalidation=$(aws cloudfront create-invalidation --distribution-id "$distribution" \
    --paths '/index.html' '/config.json' '/' --query Invalidation.Id --output text)
  aws cloudfront wait invalidation-completed --distribution-id "$distribution" --id "$invalidation"
  echo "deploy: dashboard at $web_url"
}

push_model() {
  local tool repo image local_image
  tool=$(engine)
  repo=$(output_map ecr_repository_urls model)
  local_image=${MODEL_IMAGE:-imggen-model:latest}
  "$tool" image inspect "$local_image" >/dev/null 2>&1 || fail "no local image $local_image: run make model-build first"
  image="$repo:$(tag)"
  ecr_login "$repo"
  "$tool" tag "$local_image" "$image"
  "$tool" push "$image"
  echo "deploy: pushed $image (point the SageMaker model at it: Terraform variable model_image)"
}

case "$what" in
  api) deploy_api ;;
  frontend) deploy_frontend ;;
  model) push_model ;;
  *) fail "unknown target $what (api, frontend, model)" ;;
esac
