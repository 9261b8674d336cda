# The flusher (Redis streams → ClickHouse) and every scheduled job (graphile-worker's crontab in
# Postgres: each slot runs once across replicas, so Nomad schedules nothing periodic). Two
# instances on different nodes; the flusher's consumer group shares the stream between them.
# A release: deploy/release.sh runs `nomad job plan` then `nomad job run -check-index` with
# -var image_tag=<git commit>.

variable "image_tag" {
  type        = string
  description = "Git commit the images were built from (never latest: a rollback needs the old tag)."

  validation {
    condition     = var.image_tag != "latest"
    error_message = "Pin the image to a commit."
  }
}

variable "environment" {
  type        = string
  description = "production or staging: the Nomad namespace and the Vault path of its databases."
}

variable "domain" {
  type = string
}

variable "registry" {
  type    = string
  default = "registry.spur.internal:5000"
}

locals {
  # Traefik matches HostRegexp against the Host header: the domain's dots must be literal.
  domain_pattern = replace(var.domain, ".", "\\.")
}

job "batches" {
  namespace   = var.environment
  datacenters = ["fsn1"]
  type        = "service"

  update {
    max_parallel      = 1
    health_check      = "checks"
    min_healthy_time  = "10s"
    healthy_deadline  = "3m"
    progress_deadline = "5m"
    auto_revert       = true
  }

  group "batches" {
    count = 2

    spread {
      attribute = "${node.unique.id}"
    }

    network {
      port "http" {
        to = 8081
      }
    }

    service {
      name = "batches"
      port = "http"

      check {
        name     = "ready"
        type     = "http"
        path     = "/readyz"
        interval = "5s"
        timeout  = "2s"
      }

      check {
        name     = "alive"
        type     = "http"
        path     = "/healthz"
        interval = "10s"
        timeout  = "2s"

        check_restart {
          limit = 3
          grace = "60s"
        }
      }
    }

    task "batches" {
      driver = "docker"

      # Consul deregisters the instance, Traefik's next catalog refresh (5s, traefik.nomad.hcl)
      # drops it, and only then does SIGTERM arrive.
      shutdown_delay = "10s"
      # Longer than SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS, so Nomad never SIGKILLs a draining batches.
      kill_timeout = "20s"

      config {
        image = "${var.registry}/spur-batches:${var.image_tag}"
        ports = ["http"]
      }

      vault {
        role = "spur-batches"
      }

      env {
        NODE_ENV             = "production"
        HOST                 = "0.0.0.0"
        BATCHES_PORT         = "8081"
        LOG_LEVEL            = "info"
        SHUTDOWN_TIMEOUT_MS  = "10000"
        SHUTDOWN_DRAIN_MS    = "3000"
        BACKEND_PUBLIC_URL   = "https://api.${var.domain}"
        DASHBOARD_PUBLIC_URL = "https://app.${var.domain}"
        WEBSITE_PUBLIC_URL   = "https://${var.domain}"
        CLICKHOUSE_DATABASE  = "spur"
        EMAIL_FROM           = "Spur <no-reply@${var.domain}>"
        SES_REGION           = "eu-central-1"
        S3_REGION            = "eu-central-1"
        S3_BUCKET            = "spur-${var.environment}"
        JOBS_ENABLED         = "true"
      }

      template {
        destination = "secrets/spur.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{ with secret (printf "kv/data/spur/%s/stores" (env "NOMAD_NAMESPACE")) }}
          DATABASE_URL={{ .Data.data.database_url }}
          CLICKHOUSE_URL={{ .Data.data.clickhouse_url }}
          REDIS_URL={{ .Data.data.redis_url }}
          {{ end }}
          {{ with secret (printf "kv/data/spur/%s/batches" (env "NOMAD_NAMESPACE")) }}
          METRICS_TOKEN={{ .Data.data.metrics_token }}
          S3_ACCESS_KEY_ID={{ .Data.data.s3_access_key_id }}
          S3_SECRET_ACCESS_KEY={{ .Data.data.s3_secret_access_key }}
          AWS_ACCESS_KEY_ID={{ .Data.data.aws_access_key_id }}
          AWS_SECRET_ACCESS_KEY={{ .Data.data.aws_secret_access_key }}
          STRIPE_SECRET_KEY={{ .Data.data.stripe_secret_key }}
          {{ end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 1024
      }
    }
  }
}
