variable "name" {
  description = "Prefix of every resource name, e.g. imggen-dev."
  type        = string
}

variable "alarm_emails" {
  description = "Addresses told of alarms and budget thresholds (each confirms the SNS subscription once)."
  type        = list(string)
}

variable "monthly_budget_usd" {
  description = "MONTHLY_BUDGET_USD: the AWS Budgets limit; emails at 80% and 100% of it."
  type        = number
}

variable "kms_key_arn" {
  description = "Key encrypting the alarm topic."
  type        = string
}

variable "alb_arn_suffix" {
  description = "The load balancer's CloudWatch dimension."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "The api target group's CloudWatch dimension."
  type        = string
}

variable "queue_names" {
  description = "Queue names by role (notifications, webhooks, progress)."
  type        = map(string)
}

variable "dead_letter_queue_names" {
  description = "DLQ names by role: an alarm when any holds a message."
  type        = map(string)
}

variable "async_endpoint_names" {
  description = "Async endpoint names by model id."
  type        = map(string)
}

variable "cluster_name" {
  description = "The ECS cluster."
  type        = string
}

variable "service_names" {
  description = "ECS services by process (api, worker)."
  type        = map(string)
}

variable "error_rate_threshold_percent" {
  description = "Alarm when more than this share of the api's answers are 5xx over 5 minutes."
  type        = number
  default     = 5
}

variable "backlog_age_threshold_seconds" {
  description = "Alarm when the oldest notification has waited longer than this."
  type        = number
  default     = 900
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
