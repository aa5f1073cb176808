data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  otlp_endpoint = "http://localhost:4318"
  containers = {
    api    = "${aws_ecr_repository.this["api"].repository_url}:${var.image_tag}"
    worker = "${aws_ecr_repository.this["worker"].repository_url}:${var.image_tag}"
  }
  # The ADOT collector: OTLP in (the apps' OTEL_EXPORTER_OTLP_ENDPOINT), X-Ray out.
  adot_sidecar = {
    name      = "adot-collector"
    image     = var.adot_image
    essential = false
    command   = ["--config=/etc/ecs/ecs-default-config.yaml"]
  }
  # Each service's log group: the app's stream (named after the service) and its ADOT sidecar's.
  awslogs = {
    for service in ["api", "worker"] : service => {
      for container, prefix in { app = service, adot = "adot" } : container => {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this[service].name
          awslogs-region        = data.aws_region.current.region
          awslogs-stream-prefix = prefix
        }
      }
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Images: api, worker and our model container (docker/model), scanned on push.

resource "aws_ecr_repository" "this" {
  for_each = toset(["api", "worker", "model"])

  name                 = "${var.name}/${each.key}"
  image_tag_mutability = "MUTABLE"
  force_delete         = false

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.data_kms_key_arn
  }

  tags = var.tags
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last 20 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 20 }
      action       = { type = "expire" }
    }]
  })
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(["api", "worker"])

  name              = "/ecs/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Execution role: ECS pulls the images, writes the logs and reads the secrets it injects (never the apps).

data "aws_iam_policy_document" "assume_ecs_tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-ecs-execution"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
  tags               = var.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "PullImages"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [aws_ecr_repository.this["api"].arn, aws_ecr_repository.this["worker"].arn]
  }

  # GetAuthorizationToken has no resource-level permissions.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for group in aws_cloudwatch_log_group.this : "${group.arn}:*"]
  }

  statement {
    sid       = "ReadInjectedSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = values(var.api_secrets)
  }

  statement {
    sid       = "DecryptImagesAndSecrets"
    actions   = ["kms:Decrypt"]
    resources = [var.data_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "ecs-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# ---------------------------------------------------------------------------------------------------------------
# Task roles: exactly the calls each process makes (libs/aws adapters), on exactly its resources.

# The ADOT sidecar's X-Ray calls take no resource ARN.
data "aws_iam_policy_document" "tracing" {
  statement {
    sid       = "SendTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "api" {
  source_policy_documents = [data.aws_iam_policy_document.tracing.json]

  # JobRepository (+ indexes), batches, API keys, webhooks, model stats; DescribeTable is the readiness probe.
  statement {
    sid = "JobsTable"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:Query",
      "dynamodb:BatchGetItem",
      "dynamodb:DescribeTable",
    ]
    resources = [var.tables["jobs"], "${var.tables["jobs"]}/index/*"]
  }

  # Idempotency keys, jobs in flight, usage and budget holds.
  statement {
    sid       = "AccountsTable"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"]
    resources = [var.tables["accounts"]]
  }

  # rate-limiter-flexible's DynamoDB store.
  statement {
    sid       = "RateLimitsTable"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
    resources = [var.tables["rate_limits"]]
  }

  statement {
    sid       = "WriteRequestsAndCancelMarkers"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.buckets["requests"]}/requests/*", "${var.buckets["requests"]}/cancel/*"]
  }

  # Presigned image URLs are signed with this role; deleting a job removes its outputs and images.
  statement {
    sid       = "ReadAndDeleteImages"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["${var.buckets["images"]}/images/*"]
  }

  statement {
    sid       = "DeleteOutputs"
    actions   = ["s3:DeleteObject"]
    resources = ["${var.buckets["outputs"]}/async-out/*", "${var.buckets["outputs"]}/async-failures/*"]
  }

  # HeadBucket (readiness) and the listing of a job's images (ListObjectsV2) both need ListBucket.
  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket"]
    resources = [var.buckets["requests"], var.buckets["images"], var.buckets["outputs"]]
  }

  statement {
    sid       = "InvokeAsyncEndpoints"
    actions   = ["sagemaker:InvokeEndpointAsync", "sagemaker:DescribeEndpoint"]
    resources = length(var.async_endpoint_arns) > 0 ? var.async_endpoint_arns : ["arn:${data.aws_partition.current.partition}:sagemaker:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:endpoint/none"]
  }

  statement {
    sid       = "InvokeRealtimeEndpoints"
    actions   = ["sagemaker:InvokeEndpoint", "sagemaker:DescribeEndpoint"]
    resources = length(var.realtime_endpoint_arns) > 0 ? var.realtime_endpoint_arns : ["arn:${data.aws_partition.current.partition}:sagemaker:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:endpoint/none"]
  }

  # Test deliveries and redeliveries are queued for the worker.
  statement {
    sid       = "QueueWebhookDeliveries"
    actions   = ["sqs:SendMessage"]
    resources = [var.queues["webhooks"]]
  }

  statement {
    sid       = "DataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.data_kms_key_arn]
  }

  statement {
    sid       = "WebhookSigningSecrets"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.webhooks_kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:purpose"
      values   = ["webhook-signing-secret"]
    }
  }
}

data "aws_iam_policy_document" "worker" {
  source_policy_documents = [data.aws_iam_policy_document.tracing.json]

  # Finalizing jobs, the reaper (deadline and expiry indexes), webhook deliveries, model stats.
  statement {
    sid = "JobsTable"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:Query",
      "dynamodb:BatchGetItem",
    ]
    resources = [var.tables["jobs"], "${var.tables["jobs"]}/index/*"]
  }

  # Settling usage and releasing in-flight slots and budget holds.
  statement {
    sid       = "AccountsTable"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"]
    resources = [var.tables["accounts"]]
  }

  statement {
    sid       = "ConsumeQueues"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
    resources = values(var.queues)
  }

  # A failed webhook delivery is re-sent with DelaySeconds.
  statement {
    sid       = "RequeueWebhookDeliveries"
    actions   = ["sqs:SendMessage"]
    resources = [var.queues["webhooks"]]
  }

  statement {
    sid       = "ReadAsyncResults"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["${var.buckets["outputs"]}/async-out/*", "${var.buckets["outputs"]}/async-failures/*"]
  }

  statement {
    sid       = "StoreImages"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.buckets["images"]}/images/*"]
  }

  # The retention sweep deletes an expired job's request.
  statement {
    sid       = "DeleteRequests"
    actions   = ["s3:DeleteObject"]
    resources = ["${var.buckets["requests"]}/requests/*", "${var.buckets["requests"]}/cancel/*"]
  }

  # The images a canceled job's result stored (ListObjectsV2 under images/<owner>/<job>/).
  statement {
    sid       = "ListImages"
    actions   = ["s3:ListBucket"]
    resources = [var.buckets["images"]]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["images/*"]
    }
  }

  statement {
    sid       = "DataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.data_kms_key_arn]
  }

  statement {
    sid       = "WebhookSigningSecrets"
    actions   = ["kms:Decrypt"]
    resources = [var.webhooks_kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:purpose"
      values   = ["webhook-signing-secret"]
    }
  }
}

resource "aws_iam_role" "task" {
  for_each = toset(["api", "worker"])

  name               = "${var.name}-${each.key}-task"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "api" {
  name   = "api"
  role   = aws_iam_role.task["api"].id
  policy = data.aws_iam_policy_document.api.json
}

resource "aws_iam_role_policy" "worker" {
  name   = "worker"
  role   = aws_iam_role.task["worker"].id
  policy = data.aws_iam_policy_document.worker.json
}

# ---------------------------------------------------------------------------------------------------------------
# Task definitions: plain settings as environment, secrets from Secrets Manager (never in an env file).

resource "aws_ecs_task_definition" "api" {
  family                   = "${var.name}-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.api.cpu
  memory                   = var.api.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task["api"].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name         = "api"
      image        = local.containers.api
      essential    = true
      portMappings = [{ containerPort = var.api_port, protocol = "tcp" }]
      environment = [for name, value in merge(var.api_environment, {
        API_PORT                    = tostring(var.api_port)
        OTEL_EXPORTER_OTLP_ENDPOINT = local.otlp_endpoint
        OTEL_SERVICE_NAME           = "imggen-api"
      }) : { name = name, value = value }]
      secrets          = [for name, arn in var.api_secrets : { name = name, valueFrom = arn }]
      logConfiguration = local.awslogs["api"].app
      stopTimeout      = 30
    },
    merge(local.adot_sidecar, { logConfiguration = local.awslogs["api"].adot }),
  ])

  tags = var.tags
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "${var.name}-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.worker.cpu
  memory                   = var.worker.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task["worker"].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name      = "worker"
      image     = local.containers.worker
      essential = true
      environment = [for name, value in merge(var.worker_environment, {
        WORKER_HEALTH_PORT          = tostring(var.worker_health_port)
        OTEL_EXPORTER_OTLP_ENDPOINT = local.otlp_endpoint
        OTEL_SERVICE_NAME           = "imggen-worker"
      }) : { name = name, value = value }]
      healthCheck = {
        command     = ["CMD", "node", "-e", "fetch('http://127.0.0.1:${var.worker_health_port}/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 30
      }
      logConfiguration = local.awslogs["worker"].app
      stopTimeout      = 30
    },
    merge(local.adot_sidecar, { logConfiguration = local.awslogs["worker"].adot }),
  ])

  tags = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Load balancer: HTTPS when a certificate is given; the target group probes the api's readiness route.

resource "aws_lb" "api" {
  name                       = "${var.name}-api"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [var.alb_security_group_id]
  drop_invalid_header_fields = true
  # the event streams (SSE) stay open: the api sends a heartbeat well within this
  idle_timeout = 120
  tags         = var.tags
}

resource "aws_lb_target_group" "api" {
  name                 = "${var.name}-api"
  port                 = var.api_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = "/health/ready"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = var.tags
}

resource "aws_lb_listener" "https" {
  count = var.certificate_arn == null ? 0 : 1

  load_balancer_arn = aws_lb.api.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.api.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = var.certificate_arn == null ? "forward" : "redirect"
    target_group_arn = var.certificate_arn == null ? aws_lb_target_group.api.arn : null

    dynamic "redirect" {
      for_each = var.certificate_arn == null ? [] : [443]
      content {
        port        = tostring(redirect.value)
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Services: private subnets, no public IP.

resource "aws_ecs_service" "api" {
  name                              = "api"
  cluster                           = aws_ecs_cluster.this.id
  task_definition                   = aws_ecs_task_definition.api.arn
  desired_count                     = var.api.desired_count
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 60
  propagate_tags                    = "SERVICE"

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.tasks_security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "api"
    container_port   = var.api_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.http]
  tags       = var.tags
}

resource "aws_ecs_service" "worker" {
  name            = "worker"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.worker.arn
  desired_count   = var.worker.min_count
  launch_type     = "FARGATE"
  propagate_tags  = "SERVICE"

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.tasks_security_group_id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    ignore_changes = [desired_count]
  }

  tags = var.tags
}

resource "aws_appautoscaling_target" "service" {
  for_each = {
    api    = { service = aws_ecs_service.api.name, min = var.api.min_count, max = var.api.max_count }
    worker = { service = aws_ecs_service.worker.name, min = var.worker.min_count, max = var.worker.max_count }
  }

  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${each.value.service}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = each.value.min
  max_capacity       = each.value.max
}

resource "aws_appautoscaling_policy" "api_cpu" {
  name               = "${var.name}-api-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service["api"].service_namespace
  resource_id        = aws_appautoscaling_target.service["api"].resource_id
  scalable_dimension = aws_appautoscaling_target.service["api"].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# The worker scales on the notifications waiting per task.
resource "aws_appautoscaling_policy" "worker_queue_depth" {
  name               = "${var.name}-worker-queue-depth"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service["worker"].service_namespace
  resource_id        = aws_appautoscaling_target.service["worker"].resource_id
  scalable_dimension = aws_appautoscaling_target.service["worker"].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.worker.messages_per_task
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    customized_metric_specification {
      metrics {
        id          = "visible"
        return_data = false
        metric_stat {
          stat = "Sum"
          metric {
            namespace   = "AWS/SQS"
            metric_name = "ApproximateNumberOfMessagesVisible"
            dimensions {
              name  = "QueueName"
              value = var.notifications_queue_name
            }
          }
        }
      }
      metrics {
        id          = "tasks"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "ECS/ContainerInsights"
            metric_name = "RunningTaskCount"
            dimensions {
              name  = "ClusterName"
              value = aws_ecs_cluster.this.name
            }
            dimensions {
              name  = "ServiceName"
              value = aws_ecs_service.worker.name
            }
          }
        }
      }
      metrics {
        id          = "per_task"
        label       = "Notifications waiting per worker task"
        expression  = "visible / MAX([tasks, 1])"
        return_data = true
      }
    }
  }
}
