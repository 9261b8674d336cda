import { describe, expect, it } from 'vitest';
import { STATISTICS_ENDPOINTS } from '@spur/stats';
import { buildOpenApi } from './build-openapi.ts';

describe('OpenAPI document', () => {
  const doc = buildOpenApi({ title: 'Spur API', version: '1', description: 'test', endpoints: STATISTICS_ENDPOINTS });

  it('when generated, then every statistics endpoint is a documented GET with its parameters and answer', () => {
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(STATISTICS_ENDPOINTS.map((e) => `/api/v1/statistics/${e.path}`));
    expect(paths).toContain('/api/v1/statistics/utm/source');
    expect(paths.length).toBeGreaterThan(60);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const total = doc.paths['/api/v1/statistics/total']!.get as any;
    const names = total.parameters.map((p: { name: string }) => p.name);
    expect(names.slice(0, 7)).toEqual(['id', 'from', 'to', 'to_time', 'tz', 'scale', 'start']);
    expect(names).toEqual(
      expect.arrayContaining(['path', 'event', 'country', 'utm_term', 'sort', 'limit', 'format', 'tag_*', 'meta_*']),
    );
    expect(
      total.parameters.filter((p: { required: boolean }) => p.required).map((p: { name: string }) => p.name),
    ).toEqual(['id', 'from', 'to']);
    expect(total.responses['200'].content['application/json'].schema.required).toEqual([
      'visitors',
      'views',
      'sessions',
      'bounces',
      'bounce_rate',
      'cr',
      'custom_metric_avg',
      'custom_metric_total',
    ]);
    expect(total.responses['400'].content['application/json'].schema.properties.validation.type).toBe('object');
  });

  it('when an endpoint requires more parameters, then the document says so', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const meta = doc.paths['/api/v1/statistics/event/meta']!.get as any;
    expect(
      meta.parameters.filter((p: { required: boolean }) => p.required).map((p: { name: string }) => p.name),
    ).toEqual(['id', 'from', 'to', 'event', 'event_meta_key']);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const active = doc.paths['/api/v1/statistics/active']!.get as any;
    expect(
      active.parameters.filter((p: { required: boolean }) => p.required).map((p: { name: string }) => p.name),
    ).toEqual(['id']);
  });
});
