output "frontend_url" {
  description = "The dashboard's URL."
  value       = local.frontend_url
}

output "api_url" {
  description = "The api's public base URL: the load balancer with its certificate, else CloudFront's /v1/*."
  value       = local.api_url
}

output "web_bucket_name" {
  description = "Bucket of the dashboard's static files (aws s3 sync dist/web there)."
  value       = aws_s3_bucket.web.id
}

output "cloudfront_distribution_id" {
  description = "The dashboard's distribution (invalidate /index.html after a deploy)."
  value       = aws_cloudfront_distribution.web.id
}

output "user_pool_id" {
  description = "AUTH_COGNITO_USER_POOL_ID."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_client_id" {
  description = "AUTH_CLIENT_ID: the dashboard's app client."
  value       = aws_cognito_user_pool_client.web.id
}

output "hosted_ui_domain" {
  description = "The Cognito hosted UI's domain."
  value       = "${aws_cognito_user_pool_domain.this.domain}.auth.${data.aws_region.current.region}.amazoncognito.com"
}

output "runtime_config" {
  description = "The dashboard's config.json (also written to the web bucket)."
  value       = local.runtime_config
}

output "web_acl_arn" {
  description = "The WAF web ACL on the load balancer."
  value       = aws_wafv2_web_acl.api.arn
}
