output "secret_arns" {
  description = "Secret ARNs by environment variable name (API_KEYS_SECRET, JOBS_CURSOR_SECRET)."
  value       = { for variable, secret in aws_secretsmanager_secret.this : variable => secret.arn }
}

output "webhooks_kms_key_arn" {
  description = "WEBHOOKS_KMS_KEY_ID: the key wrapping the webhook signing secrets."
  value       = aws_kms_key.webhooks.arn
}
