locals {
  name = "${var.project}-${var.environment}"
  tags = merge(var.tags, { Project = var.project, Environment = var.environment, ManagedBy = "terraform" })

  # libs/aws/src/dynamodb/table-schemas.ts (checks/parity.spec.ts compares the two).
  tables = {
    jobs = {
      partition_key = "jobId"
      ttl_attribute = "expiresAt"
      indexes = {
        byOwner          = { partition_key = "ownerId", sort_key = "jobId" }
        byOwnerStatus    = { partition_key = "ownerStatus", sort_key = "jobId" }
        byDeadline       = { partition_key = "activeShard", sort_key = "deadlineAt" }
        byExpiry         = { partition_key = "expiryShard", sort_key = "expiresAt", sort_key_type = "N" }
        byEndpointActive = { partition_key = "activeEndpoint", sort_key = "jobId" }
        byOwnerUpdated   = { partition_key = "ownerId", sort_key = "updatedAt" }
      }
    }
    accounts = {
      partition_key = "pk"
      sort_key      = "sk"
      ttl_attribute = "expiresAt"
      indexes       = {}
    }
    rate_limits = {
      partition_key = "key"
      ttl_attribute = "expire"
      indexes       = {}
    }
  }

  # libs/models/src/built-in-catalog.ts: endpoint name, mode and instance type of every catalog model (parity.spec.ts
  # compares them). Our own container serves imggen-sdxl and sdxl-turbo (docker/model, IMGGEN_MODEL_PRESET).
  catalog = {
    "stable-diffusion-xl"  = { endpoint_name = "imggen-sdxl-async", mode = "async", instance_type = "ml.g5.xlarge", own_image = false, environment = {} }
    "stable-diffusion-2-1" = { endpoint_name = "imggen-sd21-async", mode = "async", instance_type = "ml.g5.xlarge", own_image = false, environment = {} }
    "stability-sdxl"       = { endpoint_name = "imggen-stability-sdxl-async", mode = "async", instance_type = "ml.g5.xlarge", own_image = false, environment = {} }
    "imggen-sdxl"          = { endpoint_name = "imggen-model-sdxl-async", mode = "async", instance_type = "ml.g5.xlarge", own_image = true, environment = { IMGGEN_MODEL_PRESET = "sdxl" } }
    "sdxl-turbo"           = { endpoint_name = "imggen-model-sdxl-turbo-async", mode = "async", instance_type = "ml.g5.xlarge", own_image = true, environment = { IMGGEN_MODEL_PRESET = "sdxl-turbo" } }
  }

  models = {
    for id, model in local.catalog : id => {
      endpoint_name     = model.endpoint_name
      mode              = coalesce(var.sagemaker_mode, model.mode)
      instance_type     = model.instance_type
      image_uri         = try(var.model_images[id].image_uri, null) != null ? var.model_images[id].image_uri : (model.own_image ? "${module.compute.ecr_repository_urls["model"]}:${var.image_tag}" : null)
      model_data_url    = try(var.model_images[id].model_data_url, null)
      model_package_arn = try(var.model_images[id].model_package_arn, null)
      environment       = merge(model.environment, try(var.model_images[id].environment, {}))
      max_instances     = var.max_instances_per_endpoint
    }
  }

  queue_urls = module.messaging.queue_urls

  # What the api and the worker both read (libs/config: app, aws, resources).
  shared_environment = merge(
    {
      APP_ENV                 = "aws"
      LOG_LEVEL               = "info"
      METRICS_EMF             = "true"
      JOBS_TABLE              = module.data.table_names["jobs"]
      JOBS_ACCOUNTS_TABLE     = module.data.table_names["accounts"]
      JOBS_RATE_LIMITS_TABLE  = module.data.table_names["rate_limits"]
      JOBS_REQUESTS_BUCKET    = module.data.bucket_names["requests"]
      JOBS_OUTPUTS_BUCKET     = module.data.bucket_names["outputs"]
      JOBS_IMAGES_BUCKET      = module.data.bucket_names["images"]
      JOBS_QUEUE_URL          = local.queue_urls["notifications"]
      JOBS_DLQ_URL            = module.messaging.dead_letter_queue_urls["notifications_dlq"]
      JOBS_WEBHOOK_QUEUE_URL  = local.queue_urls["webhooks"]
      JOBS_WEBHOOK_DLQ_URL    = module.messaging.dead_letter_queue_urls["webhooks_dlq"]
      JOBS_PROGRESS_QUEUE_URL = local.queue_urls["progress"]
      JOBS_SUCCESS_TOPIC_ARN  = module.messaging.topic_arns["success"]
      JOBS_ERROR_TOPIC_ARN    = module.messaging.topic_arns["error"]
      JOBS_PROGRESS_TOPIC_ARN = module.messaging.topic_arns["progress"]
      WEBHOOKS_KMS_KEY_ID     = module.secrets.webhooks_kms_key_arn
    },
    var.sagemaker_mode == null ? {} : { SAGEMAKER_MODE = var.sagemaker_mode },
  )

  api_environment = merge(local.shared_environment, {
    AUTH_COGNITO_USER_POOL_ID = module.edge.user_pool_id
    AUTH_CLIENT_ID            = module.edge.user_pool_client_id
    API_CORS_ORIGINS          = module.edge.frontend_url
    RETENTION_DAYS            = tostring(var.retention_days)
    MONTHLY_BUDGET_USD        = tostring(var.monthly_budget_usd)
  }, var.api_environment)

  worker_environment = merge(local.shared_environment, {
    WORKER_MAX_RECEIVE_COUNT = "10"
  }, var.worker_environment)
}

module "network" {
  source = "../modules/network"

  name                = local.name
  single_nat_gateway  = var.single_nat_gateway
  interface_endpoints = var.interface_endpoints
  tags                = local.tags
}

module "data" {
  source = "../modules/data"

  name           = local.name
  tables         = local.tables
  retention_days = var.retention_days
  force_destroy  = var.force_destroy
  tags           = local.tags
}

module "messaging" {
  source = "../modules/messaging"

  name              = local.name
  kms_key_arn       = module.data.kms_key_arn
  max_receive_count = 10
  tags              = local.tags
}

module "secrets" {
  source = "../modules/secrets"

  name                    = local.name
  kms_key_arn             = module.data.kms_key_arn
  recovery_window_in_days = var.force_destroy ? 0 : 30
  tags                    = local.tags
}

module "inference" {
  source = "../modules/inference"

  name                  = local.name
  models                = local.models
  requests_bucket_name  = module.data.bucket_names["requests"]
  outputs_bucket_name   = module.data.bucket_names["outputs"]
  success_topic_arn     = module.messaging.topic_arns["success"]
  error_topic_arn       = module.messaging.topic_arns["error"]
  progress_topic_arn    = module.messaging.topic_arns["progress"]
  kms_key_arn           = module.data.kms_key_arn
  ecr_repository_arn    = module.compute.model_repository_arn
  subnet_ids            = module.network.private_subnet_ids
  security_group_id     = module.network.tasks_security_group_id
  scale_in_idle_minutes = var.scale_in_idle_minutes
  keep_warm             = var.enable_keep_warm
  log_retention_days    = var.log_retention_days
  tags                  = local.tags
}

module "compute" {
  source = "../modules/compute"

  name                     = local.name
  vpc_id                   = module.network.vpc_id
  public_subnet_ids        = module.network.public_subnet_ids
  private_subnet_ids       = module.network.private_subnet_ids
  alb_security_group_id    = module.network.alb_security_group_id
  tasks_security_group_id  = module.network.tasks_security_group_id
  certificate_arn          = var.api_certificate_arn
  image_tag                = var.image_tag
  api                      = var.api_sizing
  worker                   = var.worker_sizing
  api_environment          = local.api_environment
  worker_environment       = local.worker_environment
  api_secrets              = module.secrets.secret_arns
  tables                   = module.data.table_arns
  buckets                  = module.data.bucket_arns
  queues                   = module.messaging.queue_arns
  notifications_queue_name = module.messaging.queue_names["notifications"]
  async_endpoint_arns      = values(module.inference.async_endpoint_arns)
  realtime_endpoint_arns   = values(module.inference.realtime_endpoint_arns)
  data_kms_key_arn         = module.data.kms_key_arn
  webhooks_kms_key_arn     = module.secrets.webhooks_kms_key_arn
  log_retention_days       = var.log_retention_days
  tags                     = local.tags
}

module "edge" {
  source = "../modules/edge"

  name                       = local.name
  alb_arn                    = module.compute.alb_arn
  alb_dns_name               = module.compute.alb_dns_name
  api_has_certificate        = var.api_certificate_arn != null
  api_base_url               = module.compute.api_base_url
  domain_name                = var.domain_name
  cloudfront_certificate_arn = var.cloudfront_certificate_arn
  cognito_domain_prefix      = local.name
  force_destroy              = var.force_destroy
  log_retention_days         = var.log_retention_days
  tags                       = local.tags
}

module "observability" {
  source = "../modules/observability"

  name                    = local.name
  alarm_emails            = var.alarm_emails
  monthly_budget_usd      = var.monthly_budget_usd
  kms_key_arn             = module.data.kms_key_arn
  alb_arn_suffix          = module.compute.alb_arn_suffix
  target_group_arn_suffix = module.compute.target_group_arn_suffix
  queue_names             = module.messaging.queue_names
  dead_letter_queue_names = module.messaging.dead_letter_queue_names
  async_endpoint_names    = module.inference.async_endpoint_names
  cluster_name            = module.compute.cluster_name
  service_names           = module.compute.service_names
  tags                    = local.tags
}
