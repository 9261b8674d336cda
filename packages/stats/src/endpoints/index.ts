import type { Endpoint } from './endpoint.ts';
import { EVENT_ENDPOINTS } from './events.endpoints.ts';
import { SOURCE_ENDPOINTS } from './sources.endpoints.ts';
import { VISITOR_ENDPOINTS } from './visitors.endpoints.ts';

/** Every statistics endpoint, in the order the API reference lists them. */
export const STATISTICS_ENDPOINTS: Endpoint[] = [...VISITOR_ENDPOINTS, ...SOURCE_ENDPOINTS, ...EVENT_ENDPOINTS];
export type { Endpoint } from './endpoint.ts';
