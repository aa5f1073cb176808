output "kms_key_arn" {
  description = "The data key (tables, buckets, queues, topics)."
  value       = aws_kms_key.data.arn
}

output "table_names" {
  description = "Table names by role (jobs, accounts, rate_limits)."
  value       = { for role, table in aws_dynamodb_table.this : role => table.name }
}

output "table_arns" {
  description = "Table ARNs by role."
  value       = { for role, table in aws_dynamodb_table.this : role => table.arn }
}

output "bucket_names" {
  description = "Bucket names by role (requests, outputs, images)."
  value       = { for role, bucket in aws_s3_bucket.this : role => bucket.id }
}

output "bucket_arns" {
  description = "Bucket ARNs by role."
  value       = { for role, bucket in aws_s3_bucket.this : role => bucket.arn }
}
