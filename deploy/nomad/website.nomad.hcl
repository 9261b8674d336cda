# The public website (website/src/main.ts): pages rendered in process, no store behind it.
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

job "website" {
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

  group "website" {
    count = 2

    spread {
      attribute = "${node.unique.id}"
    }

    network {
      port "http" {
        to = 8090
      }
    }

    service {
      name = "website"
      port = "http"
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.website.rule=Host(`${var.domain}`) || Host(`www.${var.domain}`)",
        "traefik.http.routers.website.priority=100",
      ]

      check {
        name     = "ready"
        type     = "http"
        path     = "/healthz"
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

    task "website" {
      driver = "docker"

      # Consul deregisters the instance, Traefik's next catalog refresh (5s, traefik.nomad.hcl)
      # drops it, and only then does SIGTERM arrive.
      shutdown_delay = "10s"
      # Longer than SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS, so Nomad never SIGKILLs a draining website.
      kill_timeout = "20s"

      config {
        image = "${var.registry}/spur-website:${var.image_tag}"
        ports = ["http"]
      }

      env {
        NODE_ENV             = "production"
        HOST                 = "0.0.0.0"
        WEBSITE_PORT         = "8090"
        LOG_LEVEL            = "info"
        SHUTDOWN_TIMEOUT_MS  = "10000"
        SHUTDOWN_DRAIN_MS    = "3000"
        BACKEND_PUBLIC_URL   = "https://api.${var.domain}"
        DASHBOARD_PUBLIC_URL = "https://app.${var.domain}"
        WEBSITE_PUBLIC_URL   = "https://${var.domain}"
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
