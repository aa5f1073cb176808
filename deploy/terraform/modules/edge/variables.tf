variable "name" {
  description = "Prefix of every resource name, e.g. imggen-dev."
  type        = string
}

variable "alb_arn" {
  description = "The api's load balancer, protected by the web ACL."
  type        = string
}

variable "api_base_url" {
  description = "The api's base URL (written into the dashboard's config.json)."
  type        = string
}

variable "alb_dns_name" {
  description = "The load balancer's DNS name: without an api certificate, CloudFront serves /v1/* from it, so that the HTTPS dashboard calls an HTTPS api (no mixed content)."
  type        = string
}

variable "api_has_certificate" {
  description = "Whether the load balancer serves HTTPS itself (then the dashboard calls it directly)."
  type        = bool
}

variable "domain_name" {
  description = "DOMAIN_NAME: custom domain of the dashboard (CloudFront alias); null: the cloudfront.net name."
  type        = string
  default     = null
}

variable "cloudfront_certificate_arn" {
  description = "CERTIFICATE_ARN: ACM certificate in us-east-1 for domain_name (CloudFront requires us-east-1)."
  type        = string
  default     = null
}

variable "rate_limit_per_5_minutes" {
  description = "WAF rate-based rule: requests per client IP per 5 minutes before blocking."
  type        = number
  default     = 2000
}

variable "cognito_domain_prefix" {
  description = "Prefix of the Cognito hosted UI domain (<prefix>.auth.<region>.amazoncognito.com), unique in the region."
  type        = string
}

variable "force_destroy" {
  description = "Let terraform destroy delete the non-empty web bucket (dev only)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the WAF log group."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
