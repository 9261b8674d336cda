import { Registry, collectDefaultMetrics } from 'prom-client';

/** A registry per process (not prom-client's global one), so tests can start several apps. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
