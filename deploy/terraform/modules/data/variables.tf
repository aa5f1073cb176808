variable "name" {
  description = "Prefix of every resource name, e.g. imggen-dev."
  type        = string
}

variable "tables" {
  description = "DynamoDB tables by role (jobs, accounts, rate_limits): key, global secondary indexes (all projecting ALL) and TTL attribute, as libs/aws/src/dynamodb/table-schemas.ts declares them."
  type = map(object({
    partition_key = string
    sort_key      = optional(string)
    sort_key_type = optional(string, "S")
    indexes = map(object({
      partition_key = string
      sort_key      = optional(string)
      sort_key_type = optional(string, "S")
    }))
    ttl_attribute = optional(string)
  }))
}

variable "retention_days" {
  description = "RETENTION_DAYS: days a job and its objects are kept; the buckets' lifecycle expires objects a day later (the worker's retention sweep deletes them first)."
  type        = number
  default     = 30
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the tables."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let terraform destroy delete non-empty buckets (dev only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
