region             = "us-east-1"
environment        = "prod"
alarm_emails       = ["ops@example.com"]
monthly_budget_usd = 2000
retention_days     = 30
force_destroy      = false
log_retention_days = 90
single_nat_gateway = false

max_instances_per_endpoint = 4
scale_in_idle_minutes      = 15
enable_keep_warm           = true

# A custom domain for the dashboard (CERTIFICATE_ARN in us-east-1) and HTTPS on the api's load balancer.
# domain_name                = "imggen.example.com"
# cloudfront_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/..."
# api_certificate_arn        = "arn:aws:acm:us-east-1:123456789012:certificate/..."

model_images = {}

api_sizing    = { desired_count = 2, min_count = 2, max_count = 8, cpu = 1024, memory = 2048 }
worker_sizing = { min_count = 2, max_count = 6, cpu = 512, memory = 1024 }
