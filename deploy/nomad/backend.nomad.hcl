# The API and ingest (backend/src/main.ts). Three instances, one per node, rolled one at a time.
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

job "backend" {
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

  group "backend" {
    count = 3

    spread {
      attribute = "${node.unique.id}"
    }

    network {
      port "http" {
        to = 8080
      }
    }

    service {
      name = "backend"
      port = "http"
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.backend-api.rule=Host(`api.${var.domain}`)",
        "traefik.http.routers.backend-api.priority=100",
        "traefik.http.routers.backend-app.rule=Host(`app.${var.domain}`) && PathPrefix(`/api`)",
        "traefik.http.routers.backend-app.priority=90",
        "traefik.http.routers.backend-public.rule=HostRegexp(`^[a-z0-9-]+\\.${local.domain_pattern}$`) && PathPrefix(`/api`)",
        "traefik.http.routers.backend-public.priority=80",
      ]

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

    task "backend" {
      driver = "docker"

      # Consul deregisters the instance, Traefik's next catalog refresh (5s, traefik.nomad.hcl)
      # drops it, and only then does SIGTERM arrive.
      shutdown_delay = "10s"
      # Longer than SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS, so Nomad never SIGKILLs a draining backend.
      kill_timeout = "20s"

      config {
        image = "${var.registry}/spur-backend:${var.image_tag}"
        ports = ["http"]
      }

      vault {
        role = "spur-backend"
      }

      # TRUSTED_PROXIES: the load balancer and Traefik (private network) and Docker's bridge, the
      # address Traefik's connections come from when it reaches a container through its host port.
      env {
        NODE_ENV                = "production"
        HOST                    = "0.0.0.0"
        BACKEND_PORT            = "8080"
        LOG_LEVEL               = "info"
        SHUTDOWN_TIMEOUT_MS     = "10000"
        SHUTDOWN_DRAIN_MS       = "3000"
        TRUSTED_PROXIES         = "10.0.0.0/16,172.16.0.0/12"
        BACKEND_PUBLIC_URL      = "https://api.${var.domain}"
        DASHBOARD_PUBLIC_URL    = "https://app.${var.domain}"
        WEBSITE_PUBLIC_URL      = "https://${var.domain}"
        PUBLIC_DASHBOARD_DOMAIN = var.domain
        CLICKHOUSE_DATABASE     = "spur"
        EMAIL_FROM              = "Spur <no-reply@${var.domain}>"
        SES_REGION              = "eu-central-1"
        S3_REGION               = "eu-central-1"
        S3_BUCKET               = "spur-${var.environment}"
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
          {{ with secret (printf "kv/data/spur/%s/backend" (env "NOMAD_NAMESPACE")) }}
          METRICS_TOKEN={{ .Data.data.metrics_token }}
          S3_ACCESS_KEY_ID={{ .Data.data.s3_access_key_id }}
          S3_SECRET_ACCESS_KEY={{ .Data.data.s3_secret_access_key }}
          AUTH_SECRET={{ .Data.data.auth_secret }}
          AWS_ACCESS_KEY_ID={{ .Data.data.aws_access_key_id }}
          AWS_SECRET_ACCESS_KEY={{ .Data.data.aws_secret_access_key }}
          STRIPE_SECRET_KEY={{ .Data.data.stripe_secret_key }}
          STRIPE_WEBHOOK_SECRET={{ .Data.data.stripe_webhook_secret }}
          {{ end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }
  }
}
