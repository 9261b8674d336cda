export { openApiDocument } from './openapi.ts';
export { domainQuery, domainSchema } from './domain.schema.ts';
