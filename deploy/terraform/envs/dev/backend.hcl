# Read by make tf-init ENV=dev, which adds bucket=<the state bucket make bootstrap created>.
key          = "imggen/dev/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
