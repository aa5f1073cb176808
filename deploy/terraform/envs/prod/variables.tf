variable "region" {
  description = "AWS region of the platform."
  type        = string
}

variable "environment" {
  description = "Environment name (dev, prod): part of every resource name."
  type        = string
}

variable "alarm_emails" {
  description = "Addresses told of alarms and of the budget's 80% and 100% thresholds."
  type        = list(string)
}

variable "monthly_budget_usd" {
  description = "MONTHLY_BUDGET_USD: the AWS Budgets limit, also the api's platform-wide monthly budget."
  type        = number
}

variable "retention_days" {
  description = "RETENTION_DAYS: how long jobs, requests and images are kept."
  type        = number
  default     = 30
}

variable "image_tag" {
  description = "Tag of the api, worker and model images to run."
  type        = string
  default     = "latest"
}

variable "model_images" {
  description = "Per catalog model id: the container and artifacts. Our models (imggen-sdxl, sdxl-turbo) default to the model repository's image; JumpStart (USE_JUMPSTART / JUMPSTART_MODEL_ID) and Marketplace models need their region's image_uri and model_data_url or model_package_arn, and are not deployed without."
  type = map(object({
    image_uri         = optional(string)
    model_data_url    = optional(string)
    model_package_arn = optional(string)
    environment       = optional(map(string), {})
  }))
  default = {}
}

variable "sagemaker_mode" {
  description = "SAGEMAKER_MODE: async or realtime for every model; null: each catalog entry's own mode."
  type        = string
  default     = null
}

variable "max_instances_per_endpoint" {
  description = "Upper bound of each endpoint's instances (GPU quota)."
  type        = number
  default     = 1
}

variable "scale_in_idle_minutes" {
  description = "Minutes without backlog before an endpoint scales in to zero."
  type        = number
  default     = 15
}

variable "enable_keep_warm" {
  description = "ENABLE_KEEP_WARM: one instance per endpoint during working hours."
  type        = bool
  default     = false
}

variable "domain_name" {
  description = "DOMAIN_NAME: custom domain of the dashboard; null: the CloudFront name."
  type        = string
  default     = null
}

variable "cloudfront_certificate_arn" {
  description = "CERTIFICATE_ARN: us-east-1 ACM certificate for domain_name."
  type        = string
  default     = null
}

variable "api_certificate_arn" {
  description = "ACM certificate (this region) for the api's load balancer; null: HTTP only (dev)."
  type        = string
  default     = null
}

variable "api_environment" {
  description = "Extra api settings (LIMITS_*, LOG_LEVEL, ...), merged over the computed ones."
  type        = map(string)
  default     = {}
}

variable "worker_environment" {
  description = "Extra worker settings (WORKER_*, ...), merged over the computed ones."
  type        = map(string)
  default     = {}
}

variable "api_sizing" {
  description = "The api service's CPU, memory and task counts."
  type = object({
    cpu           = optional(number, 512)
    memory        = optional(number, 1024)
    desired_count = optional(number, 2)
    min_count     = optional(number, 1)
    max_count     = optional(number, 6)
  })
  default = {}
}

variable "worker_sizing" {
  description = "The worker service's CPU, memory and task counts."
  type = object({
    cpu               = optional(number, 512)
    memory            = optional(number, 1024)
    min_count         = optional(number, 1)
    max_count         = optional(number, 4)
    messages_per_task = optional(number, 20)
  })
  default = {}
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper) instead of one per zone."
  type        = bool
  default     = true
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints (about $15 a month each in two zones); [] sends AWS API calls through the NAT gateway instead (dev)."
  type        = list(string)
  default     = ["sqs", "sns", "sagemaker.runtime", "sagemaker.api", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms", "monitoring", "xray"]
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete data (non-empty buckets, protected tables): dev only."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of every log group."
  type        = number
  default     = 30
}
