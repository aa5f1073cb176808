output "frontend_url" {
  description = "The dashboard's URL."
  value       = module.edge.frontend_url
}

output "api_base_url" {
  description = "The api's public base URL (HTTPS: the load balancer with its certificate, else CloudFront's /v1/*)."
  value       = module.edge.api_url
}

output "alb_url" {
  description = "The load balancer's own URL (HTTP without a certificate)."
  value       = module.compute.api_base_url
}

output "user_pool_id" {
  description = "The Cognito user pool (AUTH_COGNITO_USER_POOL_ID)."
  value       = module.edge.user_pool_id
}

output "user_pool_client_id" {
  description = "The dashboard's app client (AUTH_CLIENT_ID)."
  value       = module.edge.user_pool_client_id
}

output "hosted_ui_domain" {
  description = "The Cognito hosted UI's domain."
  value       = module.edge.hosted_ui_domain
}

output "endpoint_names" {
  description = "Deployed SageMaker endpoints by model id."
  value       = module.inference.endpoint_names
}

output "web_runtime_config" {
  description = "The dashboard's config.json (written to the web bucket too)."
  value       = module.edge.runtime_config
}

output "web_bucket_name" {
  description = "Where the dashboard's static files go."
  value       = module.edge.web_bucket_name
}

output "cloudfront_distribution_id" {
  description = "The dashboard's CloudFront distribution."
  value       = module.edge.cloudfront_distribution_id
}

output "ecr_repository_urls" {
  description = "Where to push the api, worker and model images."
  value       = module.compute.ecr_repository_urls
}

output "cluster_name" {
  description = "The ECS cluster."
  value       = module.compute.cluster_name
}

output "dashboard_name" {
  description = "The CloudWatch dashboard."
  value       = module.observability.dashboard_name
}

output "service_names" {
  description = "The ECS services by process (api, worker): make deploy-api rolls them."
  value       = module.compute.service_names
}
