import { z } from 'zod';
import type { Endpoint } from '@spur/stats';

/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas that validate requests and
 * shape answers, so it cannot drift from the code. Statistics endpoints come from their registry;
 * other operations (ingest, token, domains, goals, ...) are described by their owners' schemas.
 */
export type Operation = {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  tag: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Success status (default 200). */
  status?: number;
  /** Security requirement; default the bearer token. */
  auth?: 'bearer' | 'none';
};

const errorSchema = {
  type: 'object',
  description: "Pirsch's error shape: messages, and for a 400 the offending parameter in `validation`.",
  properties: {
    error: { type: 'array', items: { type: 'string' } },
    validation: { type: 'object', additionalProperties: { type: 'string' } },
  },
  required: ['error'],
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

function parameters(query: z.ZodObject | undefined, dynamic: boolean) {
  if (!query) return [];
  const schema = jsonSchema(query, 'input') as {
    properties: Record<string, { description?: string }>;
    required?: string[];
  };
  const params: Record<string, unknown>[] = Object.entries(schema.properties).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: 'query',
      required: schema.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
  if (dynamic) {
    const pattern = (prefix: string, text: string) => ({
      name: `${prefix}*`,
      in: 'query',
      style: 'form',
      explode: true,
      description: text,
      schema: { type: 'object', propertyNames: { pattern: `^${prefix}.+` }, additionalProperties: { type: 'string' } },
    });
    params.push(
      pattern('tag_', '`tag_<key>=<value>`: page views whose tag `<key>` has that value (same value syntax).'),
    );
    params.push(
      pattern('meta_', '`meta_<key>=<value>` (or `event_meta_<key>`): events whose metadata `<key>` has that value.'),
    );
  }
  return params;
}

function operationObject(op: Operation, dynamic = false) {
  const ok = String(op.status ?? 200);
  const content = op.response
    ? {
        'application/json': { schema: jsonSchema(op.response, 'output') },
        ...(dynamic ? { 'text/csv': { schema: { type: 'string' } } } : {}),
      }
    : undefined;
  return {
    tags: [op.tag],
    summary: op.summary,
    operationId: `${op.method}_${op.path.replace(/^\/api\/v1\//, '').replace(/[^a-zA-Z0-9]+/g, '_')}`,
    ...(op.auth === 'none' ? { security: [] } : {}),
    parameters: parameters(op.query, dynamic),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } }
      : {}),
    responses: {
      [ok]: { description: 'Success', ...(content ? { content } : {}) },
      '400': {
        description: 'A parameter is invalid; `validation` names it.',
        content: { 'application/json': { schema: errorSchema } },
      },
      '401': { description: 'Missing or invalid credentials.' },
      '404': {
        description: 'Not found, or not readable by this caller.',
        content: { 'application/json': { schema: errorSchema } },
      },
    },
  };
}

export function statisticsOperations(endpoints: Endpoint[]): Operation[] {
  return endpoints.map((e) => ({
    method: 'get',
    path: `/api/v1/statistics/${e.path}`,
    tag: e.tag,
    summary: e.summary,
    query: e.query,
    response: e.response,
  }));
}

export function buildOpenApi(options: {
  title: string;
  version: string;
  description: string;
  endpoints: Endpoint[];
  operations?: Operation[];
}) {
  const paths: Record<string, Record<string, unknown>> = {};
  const statistics = new Set(statisticsOperations(options.endpoints).map((o) => o.path));
  for (const op of [...statisticsOperations(options.endpoints), ...(options.operations ?? [])]) {
    (paths[op.path] ??= {})[op.method] = operationObject(op, statistics.has(op.path));
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version, description: options.description },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Access token from `POST /api/v1/token`, or a session cookie.',
        },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
