data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  region = data.aws_region.current.region
  # The worker's EMF lines (libs/observability/src/metrics/job-metrics.ts): namespace imggen, dimensions Model and
  # Status, one line per final job.
  emf_namespace = "imggen"
  endpoint_widgets = [for id, endpoint in var.async_endpoint_names : {
    type   = "metric"
    width  = 12
    height = 6
    properties = {
      title  = "Endpoint ${endpoint}: backlog and capacity"
      region = local.region
      view   = "timeSeries"
      metrics = [
        ["AWS/SageMaker", "ApproximateBacklogSize", "EndpointName", endpoint, { stat = "Average" }],
        ["AWS/SageMaker", "ApproximateBacklogSizePerInstance", "EndpointName", endpoint, { stat = "Average" }],
        ["AWS/SageMaker", "HasBacklogWithoutCapacity", "EndpointName", endpoint, { stat = "Maximum" }],
        ["AWS/SageMaker", "ModelLatency", "EndpointName", endpoint, "VariantName", "AllTraffic", { stat = "p90", yAxis = "right" }],
      ]
    }
  }]
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "alarm_emails" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

# CloudWatch must be allowed to publish to the encrypted topic.
data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = concat([
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "API: requests, 5xx, latency"
          region = local.region
          view   = "timeSeries"
          metrics = [
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix, { stat = "Sum" }],
            ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.alb_arn_suffix, { stat = "Sum" }],
            ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix, { stat = "p90", yAxis = "right" }],
            ["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", var.target_group_arn_suffix, "LoadBalancer", var.alb_arn_suffix, { stat = "Minimum" }],
          ]
        }
      },
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "Queues: depth and oldest message"
          region = local.region
          view   = "timeSeries"
          metrics = concat(
            [for role, queue in var.queue_names : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue, { stat = "Maximum", label = "${role} visible" }]],
            [for role, queue in var.queue_names : ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queue, { stat = "Maximum", label = "${role} oldest (s)", yAxis = "right" }]],
            [for role, queue in var.dead_letter_queue_names : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue, { stat = "Maximum", label = "${role} (DLQ)" }]],
          )
        }
      },
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "Job outcomes per model and status (EMF JobsFinished)"
          region = local.region
          view   = "timeSeries"
          metrics = [
            [{ expression = "SEARCH('{${local.emf_namespace},Model,Status} MetricName=\"JobsFinished\"', 'Sum', 300)", id = "outcomes" }],
          ]
        }
      },
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "Job latency p90: end to end, inference, notification to finalized (ms)"
          region = local.region
          view   = "timeSeries"
          metrics = [
            [{ expression = "SEARCH('{${local.emf_namespace},Model,Status} MetricName=\"JobEndToEnd\"', 'p90', 300)", id = "end_to_end" }],
            [{ expression = "SEARCH('{${local.emf_namespace},Model,Status} MetricName=\"JobInference\"', 'p90', 300)", id = "inference" }],
            [{ expression = "SEARCH('{${local.emf_namespace},Model,Status} MetricName=\"JobNotificationToFinalized\"', 'p90', 300)", id = "to_finalized" }],
          ]
        }
      },
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "ECS: running tasks"
          region = local.region
          view   = "timeSeries"
          metrics = [for process, service in var.service_names : ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name, "ServiceName", service, { stat = "Average", label = process }]]
        }
      },
    ], local.endpoint_widgets)
  })
}

resource "aws_cloudwatch_metric_alarm" "api_5xx_rate" {
  alarm_name          = "${var.name}-api-5xx-rate"
  alarm_description   = "More than ${var.error_rate_threshold_percent}% of the api's answers were 5xx over 5 minutes."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.error_rate_threshold_percent
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "rate"
    expression  = "100 * errors / MAX([requests, 1])"
    label       = "5xx %"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      period      = 300
      stat        = "Sum"
      dimensions = {
        LoadBalancer = var.alb_arn_suffix
      }
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      period      = 300
      stat        = "Sum"
      dimensions = {
        LoadBalancer = var.alb_arn_suffix
      }
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  for_each = var.dead_letter_queue_names

  alarm_name          = "${var.name}-${each.key}-not-empty"
  alarm_description   = "A message reached ${each.value}: see docs/OPERATIONS.md (redrive once the cause is fixed)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  dimensions = {
    QueueName = each.value
  }
  alarm_actions = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

resource "aws_cloudwatch_metric_alarm" "notifications_backlog_age" {
  alarm_name          = "${var.name}-notifications-backlog-age"
  alarm_description   = "The oldest inference notification has waited more than ${var.backlog_age_threshold_seconds} s: the worker is down or too slow."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  threshold           = var.backlog_age_threshold_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  dimensions = {
    QueueName = var.queue_names["notifications"]
  }
  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

resource "aws_cloudwatch_metric_alarm" "endpoint_backlog" {
  for_each = var.async_endpoint_names

  alarm_name          = "${var.name}-${each.key}-backlog-stuck"
  alarm_description   = "Requests have waited on ${each.value} for 30 minutes: the endpoint cannot scale out (quota, image, capacity)."
  namespace           = "AWS/SageMaker"
  metric_name         = "HasBacklogWithoutCapacity"
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 6
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions = {
    EndpointName = each.value
  }
  alarm_actions = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

resource "aws_budgets_budget" "monthly" {
  name         = "${var.name}-monthly"
  budget_type  = "COST"
  limit_amount = tostring(var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  dynamic "notification" {
    for_each = [80, 100]
    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value
      threshold_type             = "PERCENTAGE"
      notification_type          = "ACTUAL"
      subscriber_email_addresses = var.alarm_emails
    }
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 100
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = var.alarm_emails
  }

  tags = var.tags
}
