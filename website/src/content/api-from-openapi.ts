import { openApiDocument } from '@spur/api-spec';
import type { ApiEndpoint, ApiField, ApiReference } from './api-reference.ts';

type Schema = {
  anyOf?: Schema[];
  oneOf?: Schema[];
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
};
type Operation = {
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: { name: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
  security?: unknown[];
};

const READ_AUTH =
  "Bearer token (an API client's access token from `POST /api/v1/token`), the dashboard's session cookie, or an access link (`X-Access-Link`); public sites need none.";

function typeOf(schema: Schema | undefined): string {
  if (!schema) return 'string';
  if (schema.enum) return schema.enum.map(String).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return [...new Set(union.map(typeOf))].join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'object');
  return type === 'array' ? `${typeOf(schema.items)}[]` : schema.format ? `${type} (${schema.format})` : type;
}

/** Object properties, with `allOf` members (zod intersections) flattened. */
function fieldsOf(schema: Schema | undefined): ApiField[] {
  if (!schema) return [];
  if (schema.allOf) return schema.allOf.flatMap(fieldsOf);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    type: typeOf(s),
    required: required.has(name),
    description: s.description ?? '',
  }));
}

/**
 * API reference entries for every operation of the backend's OpenAPI document that has no
 * hand-written entry (those explain the ingest endpoints in more depth). The document is generated
 * from the schemas the routes validate with, and a backend test compares it with the routes, so
 * the docs cannot drift from what the API serves.
 */
export function withOpenApiEndpoints(reference: ApiReference): ApiReference {
  const written = new Set(reference.endpoints.map((e) => `${e.method} ${e.path}`));
  const generated: ApiEndpoint[] = [];
  for (const [path, methods] of Object.entries(openApiDocument().paths as Record<string, Record<string, Operation>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const upper = method.toUpperCase() as ApiEndpoint['method'];
      if (written.has(`${upper} ${path}`)) continue;
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const isArray = schema?.type === 'array';
      generated.push({
        method: upper,
        path,
        group: op.tags?.[0] ?? 'Other',
        summary: (op.summary ?? '').replace(/\.$/, ''),
        description: op.description ?? '',
        auth: op.security && op.security.length === 0 ? 'None.' : READ_AUTH,
        ...(op.parameters?.length
          ? {
              query: op.parameters.map((p) => ({
                name: p.name,
                type: typeOf(p.schema),
                required: p.required ?? false,
                description: p.description ?? p.schema?.description ?? '',
              })),
            }
          : {}),
        ...(schema
          ? {
              body: {
                kind: isArray ? ('array' as const) : ('object' as const),
                fields: fieldsOf(isArray ? schema.items : schema),
              },
            }
          : {}),
        responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({
          status: Number(status),
          description: r.description ?? '',
        })),
      });
    }
  }
  return { ...reference, endpoints: [...reference.endpoints, ...generated] };
}
