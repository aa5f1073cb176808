# Read by make tf-init ENV=prod, which adds bucket=<the state bucket make bootstrap created>.
key          = "imggen/prod/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
