variable "name" {
  description = "Prefix of every resource name, e.g. imggen-dev."
  type        = string
}

variable "kms_key_arn" {
  description = "Key encrypting the secrets (the data key)."
  type        = string
}

variable "secret_length" {
  description = "Length of the generated secrets (API_KEYS_SECRET and JOBS_CURSOR_SECRET need at least 32 characters)."
  type        = number
  default     = 64
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can be restored (0: deleted at once, dev only)."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
