terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.25"
    }
  }

  # Bucket, key and region come from backend.hcl (terraform init -backend-config=backend.hcl); the state is
  # locked with S3's own lock file (no DynamoDB lock table).
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "imggen"
      Environment = var.environment
    }
  }
}
