variable "name" {
  description = "Prefix of every resource name, e.g. imggen-dev."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "public_subnet_ids" {
  description = "Subnets of the load balancer."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Subnets of the tasks (no public IP)."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer."
  type        = string
}

variable "tasks_security_group_id" {
  description = "Security group of the tasks."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate of the api's domain: HTTPS on 443 and HTTP redirected; null: plain HTTP on 80 (dev)."
  type        = string
  default     = null
}

variable "image_tag" {
  description = "Tag of the api and worker images in their ECR repositories."
  type        = string
  default     = "latest"
}

variable "api_port" {
  description = "API_PORT."
  type        = number
  default     = 3000
}

variable "worker_health_port" {
  description = "WORKER_HEALTH_PORT (container health check only, never exposed)."
  type        = number
  default     = 3001
}

variable "api" {
  description = "Sizing of the api service."
  type = object({
    cpu           = optional(number, 512)
    memory        = optional(number, 1024)
    desired_count = optional(number, 2)
    min_count     = optional(number, 1)
    max_count     = optional(number, 6)
  })
  default = {}
}

variable "worker" {
  description = "Sizing of the worker service; it scales on the notifications queue's depth."
  type = object({
    cpu                    = optional(number, 512)
    memory                 = optional(number, 1024)
    min_count              = optional(number, 1)
    max_count              = optional(number, 4)
    messages_per_task      = optional(number, 20)
  })
  default = {}
}

variable "api_environment" {
  description = "Plain (non-secret) environment of the api container: every name is one the api's config reads."
  type        = map(string)
}

variable "worker_environment" {
  description = "Plain (non-secret) environment of the worker container: every name is one the worker's config reads."
  type        = map(string)
}

variable "api_secrets" {
  description = "Secrets Manager ARNs injected into the api container, by environment variable name."
  type        = map(string)
}

variable "tables" {
  description = "Table ARNs by role (jobs, accounts, rate_limits)."
  type        = map(string)
}

variable "buckets" {
  description = "Bucket ARNs by role (requests, outputs, images)."
  type        = map(string)
}

variable "queues" {
  description = "Queue ARNs by role (notifications, webhooks, progress)."
  type        = map(string)
}

variable "notifications_queue_name" {
  description = "Name of the notifications queue (the worker scales on its depth)."
  type        = string
}

variable "async_endpoint_arns" {
  description = "Async endpoint ARNs the api invokes (InvokeEndpointAsync, DescribeEndpoint)."
  type        = list(string)
}

variable "realtime_endpoint_arns" {
  description = "Real-time endpoint ARNs the api invokes (InvokeEndpoint)."
  type        = list(string)
}

variable "data_kms_key_arn" {
  description = "The data key (SSE-KMS of the buckets and queues)."
  type        = string
}

variable "webhooks_kms_key_arn" {
  description = "WEBHOOKS_KMS_KEY_ID."
  type        = string
}

variable "adot_image" {
  description = "The AWS Distro for OpenTelemetry collector sidecar: receives OTLP traces on localhost:4318, sends them to X-Ray."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3"
}

variable "log_retention_days" {
  description = "Retention of the tasks' log groups."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
