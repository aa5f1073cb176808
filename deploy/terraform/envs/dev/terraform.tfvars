region             = "us-east-1"
environment        = "dev"
alarm_emails       = ["ops@example.com"]
monthly_budget_usd = 300
retention_days     = 7
force_destroy      = true

# AWS API calls go out through the NAT gateway: the 11 interface endpoints would cost ~$160 a month.
interface_endpoints = []
log_retention_days = 14

# Scale to zero; one GPU instance at most per endpoint.
max_instances_per_endpoint = 1
scale_in_idle_minutes      = 15
enable_keep_warm           = false

# JumpStart / Marketplace models are deployed once their region's container is given, e.g.
# model_images = {
#   "stable-diffusion-xl" = { image_uri = "<JumpStart inference image>", model_data_url = "s3://jumpstart-cache-prod-<region>/..." }
# }
model_images = {}

api_sizing    = { desired_count = 1, min_count = 1, max_count = 2, cpu = 256, memory = 512 }
worker_sizing = { min_count = 1, max_count = 2, cpu = 256, memory = 512 }

api_environment = {
  LOG_LEVEL = "debug"
}
