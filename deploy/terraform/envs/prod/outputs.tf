output "frontend_url" {
  description = "The dashboard's URL."
  value       = module.platform.frontend_url
}

output "api_base_url" {
  description = "The api's public base URL (HTTPS: the load balancer with its certificate, else CloudFront's /v1/*)."
  value       = module.platform.api_base_url
}

output "alb_url" {
  description = "The load balancer's own URL (HTTP without a certificate)."
  value       = module.platform.alb_url
}

output "user_pool_id" {
  description = "The Cognito user pool (AUTH_COGNITO_USER_POOL_ID)."
  value       = module.platform.user_pool_id
}

output "user_pool_client_id" {
  description = "The dashboard's app client (AUTH_CLIENT_ID)."
  value       = module.platform.user_pool_client_id
}

output "hosted_ui_domain" {
  description = "The Cognito hosted UI's domain."
  value       = module.platform.hosted_ui_domain
}

output "endpoint_names" {
  description = "Deployed SageMaker endpoints by model id."
  value       = module.platform.endpoint_names
}

output "web_runtime_config" {
  description = "The dashboard's config.json (written to the web bucket too)."
  value       = module.platform.web_runtime_config
}

output "web_bucket_name" {
  description = "Where the dashboard's static files go."
  value       = module.platform.web_bucket_name
}

output "cloudfront_distribution_id" {
  description = "The dashboard's CloudFront distribution."
  value       = module.platform.cloudfront_distribution_id
}

output "ecr_repository_urls" {
  description = "Where to push the api, worker and model images."
  value       = module.platform.ecr_repository_urls
}

output "cluster_name" {
  description = "The ECS cluster."
  value       = module.platform.cluster_name
}

output "dashboard_name" {
  description = "The CloudWatch dashboard."
  value       = module.platform.dashboard_name
}

output "service_names" {
  description = "The ECS services by process (api, worker): make deploy-api rolls them."
  value       = module.platform.service_names
}
