output "cluster_name" {
  description = "The ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "alb_dns_name" {
  description = "The load balancer's DNS name."
  value       = aws_lb.api.dns_name
}

output "alb_arn" {
  description = "The load balancer (the WAF web ACL is associated with it)."
  value       = aws_lb.api.arn
}

output "alb_arn_suffix" {
  description = "The load balancer's CloudWatch dimension."
  value       = aws_lb.api.arn_suffix
}

output "target_group_arn_suffix" {
  description = "The api target group's CloudWatch dimension."
  value       = aws_lb_target_group.api.arn_suffix
}

output "api_base_url" {
  description = "The api's base URL on the load balancer."
  value       = "${var.certificate_arn == null ? "http" : "https"}://${aws_lb.api.dns_name}"
}

output "ecr_repository_urls" {
  description = "ECR repository URLs by image (api, worker, model)."
  value       = { for image, repository in aws_ecr_repository.this : image => repository.repository_url }
}

output "model_repository_arn" {
  description = "The model image repository (the SageMaker execution role pulls from it)."
  value       = aws_ecr_repository.this["model"].arn
}

output "log_group_names" {
  description = "Log groups by process (api, worker)."
  value       = { for process, group in aws_cloudwatch_log_group.this : process => group.name }
}

output "service_names" {
  description = "ECS services by process."
  value       = { api = aws_ecs_service.api.name, worker = aws_ecs_service.worker.name }
}
