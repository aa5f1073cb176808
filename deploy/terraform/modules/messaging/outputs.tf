output "topic_arns" {
  description = "Topic ARNs by role (success, error, progress)."
  value       = { for role, topic in aws_sns_topic.this : role => topic.arn }
}

output "queue_urls" {
  description = "Queue URLs by role (notifications, webhooks, progress)."
  value       = { for role, queue in aws_sqs_queue.this : role => queue.url }
}

output "queue_arns" {
  description = "Queue ARNs by role."
  value       = { for role, queue in aws_sqs_queue.this : role => queue.arn }
}

output "queue_names" {
  description = "Queue names by role (for CloudWatch metrics)."
  value       = { for role, queue in aws_sqs_queue.this : role => queue.name }
}

output "dead_letter_queue_urls" {
  description = "DLQ URLs by role (notifications_dlq, webhooks_dlq)."
  value       = { for role, queue in aws_sqs_queue.dead_letter : role => queue.url }
}

output "dead_letter_queue_names" {
  description = "DLQ names by role (for the not-empty alarms)."
  value       = { for role, queue in aws_sqs_queue.dead_letter : role => queue.name }
}
