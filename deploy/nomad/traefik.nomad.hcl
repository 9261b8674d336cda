# Traefik on every node (system job): the Hetzner load balancer terminates TLS (managed wildcard
# certificate) and forwards plain HTTP over the private network to port 80 of each node; Traefik
# routes by host to the services Consul knows (tags in backend/dashboard/website.nomad.hcl).
# Routing table: deploy/README.md (test/unit/deploy-routing.test.ts checks the two agree).

variable "traefik_version" {
  type    = string
  default = "v3.3.4"
}

job "traefik" {
  datacenters = ["fsn1"]
  type        = "system"

  update {
    max_parallel = 1
    stagger      = "30s"
  }

  group "traefik" {
    network {
      port "http" {
        static = 80
      }

      port "ping" {
        static = 8082
      }
    }

    service {
      name = "traefik"
      port = "http"

      check {
        name     = "ping"
        type     = "http"
        port     = "ping"
        path     = "/ping"
        interval = "5s"
        timeout  = "2s"
      }
    }

    task "traefik" {
      driver = "docker"

      shutdown_delay = "10s"
      kill_timeout   = "30s"

      config {
        image        = "traefik:${var.traefik_version}"
        network_mode = "host"
        args         = ["--configFile=/local/traefik.toml"]
      }

      template {
        destination = "local/traefik.toml"
        change_mode = "restart"
        data        = <<-EOT
          [entryPoints.web]
            address = ":80"
            # Only the load balancer (private network) may set the client's address; a forwarded
            # header from anywhere else is dropped.
            [entryPoints.web.forwardedHeaders]
              trustedIPs = ["10.0.0.0/16"]
            [entryPoints.web.transport.lifeCycle]
              graceTimeOut = "20s"

          [entryPoints.ping]
            address = ":8082"

          [ping]
            entryPoint = "ping"

          [providers.consulCatalog]
            exposedByDefault = false
            refreshInterval = "5s"
            [providers.consulCatalog.endpoint]
              address = "127.0.0.1:8500"

          [log]
            level = "INFO"
          [accessLog]
        EOT
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
