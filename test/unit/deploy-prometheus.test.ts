import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'deploy', 'prometheus');
type Rule = { alert: string; expr: string };
const rules = (text: string) => (parse(text) as { groups: { rules: Rule[] }[] }).groups.flatMap((group) => group.rules);

/** Metrics of standard exporters the rules may use, by the exporter that serves them. */
const STANDARD: Record<string, string> = {
  up: 'prometheus',
  node_filesystem_avail_bytes: 'node_exporter',
  node_filesystem_size_bytes: 'node_exporter',
  traefik_service_requests_total: 'traefik',
  probe_ssl_earliest_cert_expiry: 'blackbox_exporter',
  redis_connected_slaves: 'redis_exporter',
  pg_up: 'postgres_exporter',
};
const PROMQL = new Set(
  'sum max min avg count by without rate increase time absent and or unless on ignoring bool humanizePercentage'.split(
    ' ',
  ),
);

/** The metric names in a PromQL expression: label matchers, groupings, strings and functions removed. */
function metricsOf(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/"[^"]*"/g, ' ');
  return [...new Set(bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [])].filter((word) => !PROMQL.has(word));
}

/** Every `name: '<metric>'` a prom-client metric is created with in Spur's source. */
function spurMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'test') walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const match of fs.readFileSync(full, 'utf8').matchAll(/name: '([a-z_]+)',\s*\n\s*help:/g))
          names.add(match[1]!);
      }
    }
  };
  for (const folder of ['packages', 'backend/src', 'batches/src']) walk(path.join(root, folder));
  return names;
}

/** Rules whose metrics neither Spur nor a named standard exporter exports. */
function unknownMetrics(all: Rule[], spur: Set<string>): string[] {
  return all.flatMap((rule) =>
    metricsOf(rule.expr)
      .filter((metric) => !STANDARD[metric] && !spur.has(metric.replace(/_(count|sum|bucket)$/, '')))
      .map((metric) => `${rule.alert}: ${metric}`),
  );
}

describe('deploy/prometheus', () => {
  const alerts = rules(fs.readFileSync(path.join(dir, 'alerts.yml'), 'utf8'));
  const spur = spurMetrics();

  it('when the alert rules are read, then every metric they use is one Spur exports or a standard exporter serves', () => {
    expect(unknownMetrics(alerts, spur)).toEqual([]);
    // The ones Spur must export for these alerts exist in the code.
    for (const name of [
      'ingest_stream_entries',
      'ingest_stream_oldest_entry_age_seconds',
      'flusher_rows_total',
      'flusher_dead_letter_rows_total',
      'batches_job_failures_total',
      'batches_job_last_success_timestamp_seconds',
      'http_request_duration_seconds',
    ])
      expect(spur.has(name), name).toBe(true);
  });

  it('when a rule names a metric nobody exports, then the check names the rule and the metric', () => {
    const bad = rules(
      'groups:\n  - name: x\n    rules:\n      - alert: Typo\n        expr: sum(rate(flusher_rowz_total[5m])) by (table) > 0\n',
    );
    expect(unknownMetrics(bad, spur)).toEqual(['Typo: flusher_rowz_total']);
  });

  it('when the issue lists what to watch, then there is an alert for each: backlog, flusher lag, dead letters, failed jobs, 5xx, disk, certificates', () => {
    const names = alerts.map((rule) => rule.alert);
    for (const name of [
      'IngestBacklogHigh',
      'FlusherLagging',
      'DeadLetters',
      'JobFailing',
      'High5xxRate',
      'DiskFilling',
      'CertificateExpiring',
    ])
      expect(names).toContain(name);
  });

  it('when prometheus.yml is read, then it loads these rules and scrapes Spur and every exporter the rules need', () => {
    const config = parse(fs.readFileSync(path.join(dir, 'prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; authorization?: { credentials_file: string } }[];
    };
    expect(config.rule_files.map((file) => path.basename(file))).toEqual(['alerts.yml']);
    expect(config.scrape_configs.map((job) => job.job_name)).toEqual([
      'spur',
      'node',
      'traefik',
      'redis',
      'postgres',
      'certificates',
    ]);
    // /metrics is served only with METRICS_TOKEN in production.
    expect(config.scrape_configs[0]!.authorization).toEqual({ credentials_file: '/secrets/metrics-token' });
  });
});
