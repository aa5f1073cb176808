variable "name" {
  description = "Prefix of every resource name, e.g. imggen-dev."
  type        = string
}

variable "models" {
  description = "One SageMaker endpoint per catalog model (libs/models BUILT_IN_MODELS), keyed by model id. endpoint_name and mode must match the catalog; image_uri is our ECR image (docker/model) or a JumpStart / Marketplace container; a model without an image (and without a model package) is not deployed."
  type = map(object({
    endpoint_name     = string
    mode              = string
    instance_type     = string
    image_uri         = optional(string)
    model_data_url    = optional(string)
    model_package_arn = optional(string)
    environment       = optional(map(string), {})
    max_instances     = optional(number, 1)
    min_instances     = optional(number, 0)
    max_concurrent_invocations_per_instance = optional(number, 1)
    target_backlog_per_instance             = optional(number, 2)
  }))
}

variable "requests_bucket_name" {
  description = "Bucket holding the request bodies (requests/) and cancel markers (cancel/)."
  type        = string
}

variable "outputs_bucket_name" {
  description = "Bucket the async endpoints write to (async-out/, async-failures/)."
  type        = string
}

variable "success_topic_arn" {
  description = "SNS topic SageMaker notifies of each finished async inference."
  type        = string
}

variable "error_topic_arn" {
  description = "SNS topic SageMaker notifies of each failed async inference."
  type        = string
}

variable "progress_topic_arn" {
  description = "SNS topic our model container publishes progress to (IMGGEN_PROGRESS_TOPIC_ARN)."
  type        = string
}

variable "kms_key_arn" {
  description = "The data key (buckets, topics)."
  type        = string
}

variable "ecr_repository_arn" {
  description = "Our model image repository (docker/model), pulled by the endpoints."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the endpoints run in."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the endpoints."
  type        = string
}

variable "scale_in_idle_minutes" {
  description = "Minutes without backlog before an async endpoint scales in (to zero)."
  type        = number
  default     = 15
}

variable "keep_warm" {
  description = "ENABLE_KEEP_WARM: keep one instance during working hours (scheduled actions) instead of scaling to zero."
  type        = bool
  default     = false
}

variable "keep_warm_schedule" {
  description = "Cron expressions (UTC) starting and ending the keep-warm window."
  type        = object({ start = string, stop = string })
  default     = { start = "cron(0 7 ? * MON-FRI *)", stop = "cron(0 19 ? * MON-FRI *)" }
}

variable "log_retention_days" {
  description = "Retention of the endpoints' log groups."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
