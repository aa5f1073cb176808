output "endpoint_names" {
  description = "Deployed endpoint names by model id."
  value       = { for id, endpoint in aws_sagemaker_endpoint.this : id => endpoint.name }
}

output "endpoint_arns" {
  description = "Endpoint ARNs by model id (known before the endpoints exist, for the task roles)."
  value       = local.endpoint_arns
}

output "async_endpoint_names" {
  description = "Async endpoint names by model id (for the dashboard and alarms)."
  value       = { for id, model in local.async_models : id => model.endpoint_name }
}

output "realtime_endpoint_arns" {
  description = "Real-time endpoint ARNs by model id (InvokeEndpoint)."
  value       = { for id, model in local.realtime_models : id => local.endpoint_arns[id] }
}

output "async_endpoint_arns" {
  description = "Async endpoint ARNs by model id (InvokeEndpointAsync)."
  value       = { for id, model in local.async_models : id => local.endpoint_arns[id] }
}

output "execution_role_arn" {
  description = "The endpoints' execution role."
  value       = aws_iam_role.execution.arn
}
