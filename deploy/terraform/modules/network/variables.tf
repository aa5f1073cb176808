variable "name" {
  description = "Prefix of every resource name, e.g. imggen-dev."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's address range."
  type        = string
  default     = "10.40.0.0/16"
}

variable "availability_zone_count" {
  description = "Availability zones used (a public and a private subnet in each)."
  type        = number
  default     = 2
}

variable "single_nat_gateway" {
  description = "One NAT gateway for every private subnet (cheaper, one zone's outage cuts egress) instead of one per zone."
  type        = bool
  default     = true
}

variable "api_port" {
  description = "API_PORT: the port the api tasks listen on behind the ALB."
  type        = number
  default     = 3000
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints from the private subnets."
  type        = list(string)
  default     = ["sqs", "sns", "sagemaker.runtime", "sagemaker.api", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms", "monitoring", "xray"]
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
