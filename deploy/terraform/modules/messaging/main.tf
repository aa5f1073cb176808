# The same topology libs/local-stack/src/provision.ts creates locally: success and error topics feeding the
# notifications queue (with a DLQ), the progress topic feeding its own queue (no DLQ: progress is disposable), and
# the webhook delivery queue with its DLQ.
locals {
  topics = {
    success  = "${var.name}-inference-success"
    error    = "${var.name}-inference-error"
    progress = "${var.name}-inference-progress"
  }
  queues = {
    notifications = {
      name                       = "${var.name}-notifications"
      visibility_timeout_seconds = var.visibility_timeout_seconds
      message_retention_seconds  = null
      dead_letter                = "notifications_dlq"
    }
    webhooks = {
      name                       = "${var.name}-webhooks"
      visibility_timeout_seconds = var.visibility_timeout_seconds
      message_retention_seconds  = null
      dead_letter                = "webhooks_dlq"
    }
    progress = {
      name                       = "${var.name}-progress"
      visibility_timeout_seconds = var.progress_visibility_timeout_seconds
      message_retention_seconds  = var.progress_retention_seconds
      dead_letter                = null
    }
  }
  dead_letter_queues = {
    notifications_dlq = "${var.name}-notifications-dlq"
    webhooks_dlq      = "${var.name}-webhooks-dlq"
  }
  # Which topics deliver to which queue (standard SNS envelope: raw delivery off, as the worker expects).
  subscriptions = {
    success  = "notifications"
    error    = "notifications"
    progress = "progress"
  }
}

resource "aws_sns_topic" "this" {
  for_each = local.topics

  name              = each.value
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

resource "aws_sqs_queue" "dead_letter" {
  for_each = local.dead_letter_queues

  name                      = each.value
  message_retention_seconds = var.dead_letter_retention_seconds
  kms_master_key_id         = var.kms_key_arn
  tags                      = var.tags
}

resource "aws_sqs_queue" "this" {
  for_each = local.queues

  name                       = each.value.name
  visibility_timeout_seconds = each.value.visibility_timeout_seconds
  receive_wait_time_seconds  = var.receive_wait_time_seconds
  message_retention_seconds  = each.value.message_retention_seconds
  kms_master_key_id          = var.kms_key_arn
  redrive_policy = each.value.dead_letter == null ? null : jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter[each.value.dead_letter].arn
    maxReceiveCount     = var.max_receive_count
  })
  tags = var.tags
}

resource "aws_sqs_queue_redrive_allow_policy" "dead_letter" {
  for_each = local.dead_letter_queues

  queue_url = aws_sqs_queue.dead_letter[each.key].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [for queue in local.queues : aws_sqs_queue.this[trimsuffix(each.key, "_dlq")].arn if queue.dead_letter == each.key]
  })
}

# sns-sqs-as-subscriber: each queue lets only its own topics send (aws:SourceArn).
data "aws_iam_policy_document" "topics_may_send" {
  for_each = toset(distinct(values(local.subscriptions)))

  statement {
    sid       = "AllowInferenceNotificationTopics"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this[each.key].arn]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [for topic, queue in local.subscriptions : aws_sns_topic.this[topic].arn if queue == each.key]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  for_each = data.aws_iam_policy_document.topics_may_send

  queue_url = aws_sqs_queue.this[each.key].id
  policy    = data.aws_iam_policy_document.topics_may_send[each.key].json
}

resource "aws_sns_topic_subscription" "this" {
  for_each = local.subscriptions

  topic_arn            = aws_sns_topic.this[each.key].arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.this[each.value].arn
  raw_message_delivery = false
}
