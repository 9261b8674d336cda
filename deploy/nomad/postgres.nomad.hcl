# PostgreSQL on the Hetzner volume. The volume is attached to one node (hetzner/provision.sh), whose
# Nomad client exposes it as the host volume "postgres" and sets meta.spur_volume (cloud-init), so
# the job is pinned there. Not rolled like the services: an update is a restart, done by runbook.

variable "environment" {
  type = string
}

variable "port" {
  type        = number
  default     = 5432
  description = "Static port on the volume node; staging runs beside production with 5433."
}

job "postgres" {
  namespace   = var.environment
  datacenters = ["fsn1"]
  type        = "service"

  constraint {
    attribute = "${meta.spur_volume}"
    value     = "true"
  }

  group "postgres" {
    count = 1

    volume "pgdata" {
      type      = "host"
      source    = "postgres"
      read_only = false
    }

    network {
      port "db" {
        static = var.port
        to     = 5432
      }
    }

    service {
      name = "postgres"
      port = "db"

      check {
        name     = "accepting"
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "postgres" {
      driver       = "docker"
      kill_timeout = "60s"

      config {
        image = "postgres:17.2-bookworm"
        ports = ["db"]
      }

      volume_mount {
        volume      = "pgdata"
        destination = "/var/lib/postgresql/data"
      }

      vault {
        role = "spur-postgres"
      }

      template {
        destination = "secrets/postgres.env"
        env         = true
        data        = <<-EOT
          {{ with secret (printf "kv/data/spur/%s/postgres" (env "NOMAD_NAMESPACE")) }}
          POSTGRES_PASSWORD={{ .Data.data.password }}
          {{ end }}
        EOT
      }

      env {
        POSTGRES_USER = "spur"
        POSTGRES_DB   = "spur"
        PGDATA        = "/var/lib/postgresql/data/pgdata"
      }

      resources {
        cpu    = 1000
        memory = 1024
      }
    }
  }
}
