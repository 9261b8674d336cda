export { openApiDocument } from './openapi.ts';
export { domainQuery, domainSchema } from './domain.schema.ts';
export { listDomains, toDomain, type Domain } from './domain.view.ts';
