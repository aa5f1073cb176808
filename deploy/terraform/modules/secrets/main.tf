data "aws_caller_identity" "current" {}

locals {
  # The api's secrets (apps/api/src/config/api.config.ts), injected by the task definition as these variables.
  secrets = {
    API_KEYS_SECRET    = "HMAC key hashing the API keys"
    JOBS_CURSOR_SECRET = "HMAC key signing the job listing cursors"
  }
}

resource "aws_secretsmanager_secret" "this" {
  for_each = local.secrets

  name                    = "${var.name}/${lower(replace(each.key, "_", "-"))}"
  description             = each.value
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = var.tags
}

data "aws_secretsmanager_random_password" "this" {
  for_each = local.secrets

  password_length     = var.secret_length
  exclude_punctuation = true
}

# The first value is generated; rotate by putting a new version (terraform does not overwrite it).
resource "aws_secretsmanager_secret_version" "this" {
  for_each = local.secrets

  secret_id     = aws_secretsmanager_secret.this[each.key].id
  secret_string = data.aws_secretsmanager_random_password.this[each.key].random_password

  lifecycle {
    ignore_changes = [secret_string]
  }
}

# WEBHOOKS_KMS_KEY_ID: envelope encryption of the webhook signing secrets (GenerateDataKey / Decrypt with the
# encryption context purpose=webhook-signing-secret, libs/webhooks/src/secrets/webhook-secrets.ts).
resource "aws_kms_key" "webhooks" {
  description             = "${var.name}: webhook signing secrets"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.webhooks_key.json
  tags                    = var.tags
}

resource "aws_kms_alias" "webhooks" {
  name          = "alias/${var.name}-webhooks"
  target_key_id = aws_kms_key.webhooks.key_id
}

data "aws_iam_policy_document" "webhooks_key" {
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}
