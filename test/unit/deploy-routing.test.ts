import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allJobs, blocks, named, root } from './deploy/nomad.ts';
import { compileRule, route, routersOf, type Router } from './deploy/traefik-rules.ts';

/**
 * The routing table in deploy/README.md is what Traefik does with the rules in deploy/nomad: each
 * row's host and path, sent through the routers, reach the row's service, and every router is
 * reached by some row.
 */
const DOMAIN = 'spur.example';
const vars = { domain: DOMAIN, domain_pattern: DOMAIN.replaceAll('.', '\\.') };

type Row = { host: string; paths: string; service: string };

function readTable(): Row[] {
  const readme = fs.readFileSync(path.join(root, 'deploy/README.md'), 'utf8');
  const start = readme.indexOf('## Routing');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  expect(lines[0]).toBe('| host | path | service |');
  return lines.slice(2).map((line) => {
    const [host, paths, service] = line
      .split('|')
      .slice(1, 4)
      .map((c) => c.trim());
    return { host: host!, paths: paths!, service: /^[a-z]+/.exec(service!)?.[0] ?? service! };
  });
}

const hostsOf = (cell: string) =>
  [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace('<subdomain>', 'acme').replace('<domain>', DOMAIN));
const pathsOf = (cell: string) =>
  cell === 'any'
    ? ['/', '/api/v1/status', '/pricing']
    : cell === '`/api/*`'
      ? ['/api/v1/status', '/api']
      : ['/', '/sites/1'];

let routers: Router[];
beforeAll(async () => {
  routers = (await allJobs()).flatMap((job) =>
    named(job.body, 'group').flatMap(([, group]) =>
      blocks(group, 'service').flatMap((s) => routersOf(String(s.name), (s.tags as string[] | undefined) ?? [], vars)),
    ),
  );
});

/** Each (host, path) of each row that Traefik would send elsewhere than the row says. */
function tableProblems(rows: Row[]): string[] {
  return rows.flatMap((row) =>
    hostsOf(row.host).flatMap((host) =>
      pathsOf(row.paths).flatMap((p) => {
        const service = route(routers, { host, path: p })?.service ?? 'nothing';
        return service === row.service ? [] : [`${host}${p} goes to ${service}, the table says ${row.service}`];
      }),
    ),
  );
}

describe('routing table in deploy/README.md', () => {
  it('every row reaches its service through the Traefik rules of the Nomad jobs', () => {
    const rows = readTable();
    expect(rows.length).toBeGreaterThan(4);
    expect(tableProblems(rows)).toEqual([]);
  });

  it('a row that disagrees with the rules is named', () => {
    const rows = readTable().map((r) =>
      r.host.startsWith('`app.') && r.paths !== '`/api/*`' ? { ...r, service: 'website' } : r,
    );
    expect(tableProblems(rows)).toEqual([
      'app.spur.example/ goes to dashboard, the table says website',
      'app.spur.example/sites/1 goes to dashboard, the table says website',
    ]);
  });

  it('every router is reached by some row, and hosts outside the domain by none', () => {
    const reached = new Set<string>();
    for (const row of readTable())
      for (const host of hostsOf(row.host))
        for (const p of pathsOf(row.paths)) reached.add(route(routers, { host, path: p })!.name);
    expect([...reached].sort()).toEqual(routers.map((r) => r.name).sort());
    expect(route(routers, { host: 'acme.spur.example.evil.test', path: '/' })).toBeUndefined();
    expect(route(routers, { host: 'a.b.spur.example', path: '/' })).toBeUndefined();
  });

  it('rules are parsed like Traefik reads them', () => {
    const rule = compileRule('(Host(`a.x`) || HostRegexp(`^[a-z]+\\.x$`)) && PathPrefix(`/api`)');
    expect([
      rule({ host: 'a.x', path: '/api/1' }),
      rule({ host: 'b.x', path: '/api' }),
      rule({ host: 'b.x', path: '/' }),
    ]).toEqual([true, true, false]);
    expect(() => compileRule('Host(`a`) &&')).toThrow();
  });
});
