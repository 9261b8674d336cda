# Redis with AOF on the node that holds the volume (its append-only file must survive a restart:
# unflushed hits live there until the flusher has inserted them). Pinned like postgres.nomad.hcl.

variable "environment" {
  type = string
}

variable "port" {
  type        = number
  default     = 6379
  description = "Static port on the volume node; staging runs beside production with 6380."
}

job "redis" {
  namespace   = var.environment
  datacenters = ["fsn1"]
  type        = "service"

  constraint {
    attribute = "${meta.spur_volume}"
    value     = "true"
  }

  group "redis" {
    count = 1

    volume "redisdata" {
      type      = "host"
      source    = "redis"
      read_only = false
    }

    network {
      port "redis" {
        static = var.port
        to     = 6379
      }
    }

    service {
      name = "redis"
      port = "redis"

      check {
        name     = "accepting"
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "redis" {
      driver       = "docker"
      kill_timeout = "30s"

      config {
        image   = "redis:7.4.2-bookworm"
        ports   = ["redis"]
        command = "redis-server"
        args    = ["/secrets/redis.conf"]
      }

      volume_mount {
        volume      = "redisdata"
        destination = "/data"
      }

      vault {
        role = "spur-redis"
      }

      template {
        destination = "secrets/redis.conf"
        data        = <<-EOT
          dir /data
          appendonly yes
          appendfsync everysec
          save ""
          maxmemory-policy noeviction
          {{ with secret (printf "kv/data/spur/%s/redis" (env "NOMAD_NAMESPACE")) }}
          requirepass {{ .Data.data.password }}
          {{ end }}
        EOT
      }

      resources {
        cpu    = 500
        memory = 768
      }
    }
  }
}
