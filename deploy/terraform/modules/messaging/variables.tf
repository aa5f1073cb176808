variable "name" {
  description = "Prefix of every resource name, e.g. imggen-dev."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed key encrypting the topics and queues."
  type        = string
}

variable "max_receive_count" {
  description = "Receives before a notification or webhook message goes to its DLQ (WORKER_MAX_RECEIVE_COUNT must equal it; libs/local-stack DEFAULT_QUEUE_SETTINGS)."
  type        = number
  default     = 10
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout of the notification and webhook queues."
  type        = number
  default     = 60
}

variable "receive_wait_time_seconds" {
  description = "Long-poll wait of every queue."
  type        = number
  default     = 20
}

variable "dead_letter_retention_seconds" {
  description = "How long the DLQs keep a message (14 days, the SQS maximum)."
  type        = number
  default     = 1209600
}

variable "progress_visibility_timeout_seconds" {
  description = "Visibility timeout of the progress queue."
  type        = number
  default     = 30
}

variable "progress_retention_seconds" {
  description = "How long a progress message is kept (a step older than this is of no use)."
  type        = number
  default     = 3600
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
