data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  deployed = {
    for id, model in var.models : id => model
    if model.image_uri != null || model.model_package_arn != null
  }
  async_models    = { for id, model in local.deployed : id => model if model.mode == "async" }
  realtime_models = { for id, model in local.deployed : id => model if model.mode == "realtime" }
  endpoint_arns = {
    for id, model in local.deployed :
    id => "arn:${data.aws_partition.current.partition}:sagemaker:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:endpoint/${lower(model.endpoint_name)}"
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Execution role: what SageMaker and the model container do on our behalf.

data "aws_iam_policy_document" "assume_sagemaker" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-sagemaker-execution"
  assume_role_policy = data.aws_iam_policy_document.assume_sagemaker.json
  tags               = var.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "ReadRequestsAndCancelMarkers"
    actions   = ["s3:GetObject"]
    resources = ["arn:${data.aws_partition.current.partition}:s3:::${var.requests_bucket_name}/requests/*", "arn:${data.aws_partition.current.partition}:s3:::${var.requests_bucket_name}/cancel/*"]
  }

  # HeadObject of a missing cancel marker answers 404 (not 403) only with ListBucket.
  statement {
    sid       = "ListCancelMarkers"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${data.aws_partition.current.partition}:s3:::${var.requests_bucket_name}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["cancel/*"]
    }
  }

  statement {
    sid       = "WriteAsyncResults"
    actions   = ["s3:PutObject"]
    resources = ["arn:${data.aws_partition.current.partition}:s3:::${var.outputs_bucket_name}/async-out/*", "arn:${data.aws_partition.current.partition}:s3:::${var.outputs_bucket_name}/async-failures/*"]
  }

  statement {
    sid       = "NotifyAndReportProgress"
    actions   = ["sns:Publish"]
    resources = [var.success_topic_arn, var.error_topic_arn, var.progress_topic_arn]
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "PullModelImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [var.ecr_repository_arn]
  }

  # GetAuthorizationToken has no resource-level permissions.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "WriteEndpointLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup", "logs:DescribeLogStreams"]
    resources = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/sagemaker/Endpoints/*"]
  }

  # PutMetricData has no resource-level permissions; the namespace condition narrows it.
  statement {
    sid       = "EndpointMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/Endpoints"]
    }
  }

  # Endpoints in our VPC: SageMaker manages their network interfaces (these actions take no resource ARN).
  statement {
    sid = "VpcNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:CreateNetworkInterfacePermission",
      "ec2:DeleteNetworkInterface",
      "ec2:DeleteNetworkInterfacePermission",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeVpcs",
      "ec2:DescribeDhcpOptions",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "model-runtime"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# ---------------------------------------------------------------------------------------------------------------
# One model, endpoint configuration and endpoint per catalog model.

resource "aws_sagemaker_model" "this" {
  for_each = local.deployed

  name                     = "${var.name}-${each.key}"
  execution_role_arn       = aws_iam_role.execution.arn
  enable_network_isolation = false

  primary_container {
    image              = each.value.model_package_arn == null ? each.value.image_uri : null
    model_data_url     = each.value.model_data_url
    model_package_name = each.value.model_package_arn
    environment = merge(each.value.environment, each.value.mode == "async" ? {
      IMGGEN_PROGRESS_TOPIC_ARN = var.progress_topic_arn
    } : {})
  }

  vpc_config {
    subnets            = var.subnet_ids
    security_group_ids = [var.security_group_id]
  }

  tags = var.tags
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  for_each = local.deployed

  name_prefix = "${var.name}-${each.key}-"
  kms_key_arn = var.kms_key_arn

  production_variants {
    variant_name           = "AllTraffic"
    model_name             = aws_sagemaker_model.this[each.key].name
    instance_type          = each.value.instance_type
    initial_instance_count = 1
  }

  dynamic "async_inference_config" {
    for_each = each.value.mode == "async" ? [each.value] : []
    content {
      output_config {
        s3_output_path  = "s3://${var.outputs_bucket_name}/async-out/"
        s3_failure_path = "s3://${var.outputs_bucket_name}/async-failures/"
        kms_key_id      = var.kms_key_arn
        notification_config {
          success_topic = var.success_topic_arn
          error_topic   = var.error_topic_arn
        }
      }
      client_config {
        max_concurrent_invocations_per_instance = async_inference_config.value.max_concurrent_invocations_per_instance
      }
    }
  }

  lifecycle {
    create_before_destroy = true
  }

  tags = var.tags
}

resource "aws_sagemaker_endpoint" "this" {
  for_each = local.deployed

  name                 = each.value.endpoint_name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this[each.key].name
  tags                 = var.tags
}

resource "aws_cloudwatch_log_group" "endpoint" {
  for_each = local.deployed

  name              = "/aws/sagemaker/Endpoints/${each.value.endpoint_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Scale to zero (async endpoints): target tracking on the backlog per instance scales between 1 and max and back to
# zero after the idle time; from zero, target tracking has no instance to divide by, so a step policy on
# HasBacklogWithoutCapacity adds the first instance.

resource "aws_appautoscaling_target" "endpoint" {
  for_each = local.async_models

  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.this[each.key].name}/variant/AllTraffic"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = each.value.min_instances
  max_capacity       = each.value.max_instances
  tags               = var.tags
}

resource "aws_appautoscaling_policy" "backlog" {
  for_each = local.async_models

  name               = "${var.name}-${each.key}-backlog-per-instance"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.endpoint[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.endpoint[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.endpoint[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = each.value.target_backlog_per_instance
    scale_in_cooldown  = var.scale_in_idle_minutes * 60
    scale_out_cooldown = 60

    customized_metric_specification {
      metric_name = "ApproximateBacklogSizePerInstance"
      namespace   = "AWS/SageMaker"
      statistic   = "Average"
      dimensions {
        name  = "EndpointName"
        value = aws_sagemaker_endpoint.this[each.key].name
      }
    }
  }
}

resource "aws_appautoscaling_policy" "scale_out_from_zero" {
  for_each = local.async_models

  name               = "${var.name}-${each.key}-scale-out-from-zero"
  policy_type        = "StepScaling"
  service_namespace  = aws_appautoscaling_target.endpoint[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.endpoint[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.endpoint[each.key].scalable_dimension

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = 300
    metric_aggregation_type = "Average"

    step_adjustment {
      metric_interval_lower_bound = 0
      scaling_adjustment          = 1
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "has_backlog_without_capacity" {
  for_each = local.async_models

  alarm_name          = "${var.name}-${each.key}-has-backlog-without-capacity"
  alarm_description   = "Requests are waiting and the endpoint has no instance: add one."
  namespace           = "AWS/SageMaker"
  metric_name         = "HasBacklogWithoutCapacity"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions = {
    EndpointName = aws_sagemaker_endpoint.this[each.key].name
  }
  alarm_actions = [aws_appautoscaling_policy.scale_out_from_zero[each.key].arn]
  tags          = var.tags
}

# ENABLE_KEEP_WARM: at least one instance during the working-hours window, back to zero outside it.
resource "aws_appautoscaling_scheduled_action" "keep_warm_start" {
  for_each = var.keep_warm ? local.async_models : {}

  name               = "${var.name}-${each.key}-keep-warm-start"
  service_namespace  = aws_appautoscaling_target.endpoint[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.endpoint[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.endpoint[each.key].scalable_dimension
  schedule           = var.keep_warm_schedule.start

  scalable_target_action {
    min_capacity = 1
    max_capacity = each.value.max_instances
  }
}

resource "aws_appautoscaling_scheduled_action" "keep_warm_stop" {
  for_each = var.keep_warm ? local.async_models : {}

  name               = "${var.name}-${each.key}-keep-warm-stop"
  service_namespace  = aws_appautoscaling_target.endpoint[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.endpoint[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.endpoint[each.key].scalable_dimension
  schedule           = var.keep_warm_schedule.stop

  scalable_target_action {
    min_capacity = each.value.min_instances
    max_capacity = each.value.max_instances
  }
}
