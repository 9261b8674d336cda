export { createLogger, type Logger } from './logger.ts';
export { createMetricsRegistry } from './metrics.ts';
export { metricsVerdict, type MetricsAccess, type MetricsVerdict } from './metrics-access.ts';
export { Lifecycle, withTimeout } from './lifecycle.ts';
export { listen, type RunningServer } from './http-server.ts';
export { freePort } from './free-port.ts';
