output "dashboard_name" {
  description = "The CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "alarm_topic_arn" {
  description = "Where alarms are sent."
  value       = aws_sns_topic.alarms.arn
}
