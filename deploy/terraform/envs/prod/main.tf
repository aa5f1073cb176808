module "platform" {
  source = "../../platform"

  environment                = var.environment
  alarm_emails               = var.alarm_emails
  monthly_budget_usd         = var.monthly_budget_usd
  retention_days             = var.retention_days
  image_tag                  = var.image_tag
  model_images               = var.model_images
  sagemaker_mode             = var.sagemaker_mode
  max_instances_per_endpoint = var.max_instances_per_endpoint
  scale_in_idle_minutes      = var.scale_in_idle_minutes
  enable_keep_warm           = var.enable_keep_warm
  domain_name                = var.domain_name
  cloudfront_certificate_arn = var.cloudfront_certificate_arn
  api_certificate_arn        = var.api_certificate_arn
  api_environment            = var.api_environment
  worker_environment         = var.worker_environment
  api_sizing                 = var.api_sizing
  worker_sizing              = var.worker_sizing
  single_nat_gateway         = var.single_nat_gateway
  interface_endpoints        = var.interface_endpoints
  force_destroy              = var.force_destroy
  log_retention_days         = var.log_retention_days
}
