# The dashboard: the built single-page app served by dashboard/server (node:http, files of the build
# only). Its /api path never reaches it: Traefik sends /api on these hosts to the backend.
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

job "dashboard" {
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

  group "dashboard" {
    count = 2

    spread {
      attribute = "${node.unique.id}"
    }

    network {
      port "http" {
        to = 5173
      }
    }

    service {
      name = "dashboard"
      port = "http"
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.dashboard-app.rule=Host(`app.${var.domain}`)",
        "traefik.http.routers.dashboard-app.priority=50",
        "traefik.http.routers.dashboard-public.rule=HostRegexp(`^[a-z0-9-]+\\.${local.domain_pattern}$`)",
        "traefik.http.routers.dashboard-public.priority=10",
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

    task "dashboard" {
      driver = "docker"

      # Consul deregisters the instance, Traefik's next catalog refresh (5s, traefik.nomad.hcl)
      # drops it, and only then does SIGTERM arrive.
      shutdown_delay = "10s"
      # Longer than SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS, so Nomad never SIGKILLs a draining dashboard.
      kill_timeout = "20s"

      config {
        image = "${var.registry}/spur-dashboard:${var.image_tag}"
        ports = ["http"]
      }

      env {
        NODE_ENV                = "production"
        HOST                    = "0.0.0.0"
        DASHBOARD_PORT          = "5173"
        LOG_LEVEL               = "info"
        SHUTDOWN_TIMEOUT_MS     = "10000"
        SHUTDOWN_DRAIN_MS       = "3000"
        BACKEND_PUBLIC_URL      = "https://api.${var.domain}"
        PUBLIC_DASHBOARD_DOMAIN = var.domain
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
