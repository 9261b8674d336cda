import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configVariableNames } from '@spur/config';
import { nomadDir, root } from './deploy/nomad.ts';

/**
 * Opt-in (deploy/hcl/build-hcl-tools.sh builds the tools; about a minute, so not in CI): HashiCorp's
 * own HCL tools over deploy/nomad. hcldec decodes each job against a spec of the Nomad blocks we use,
 * so a misspelled key fails; hclfmt's output must equal the file (`hclfmt -check` checks syntax only).
 */
const toolsDir = process.env.HCL_TOOLS_DIR ?? '/tmp/spur-hcl-tools';
const tool = (name: string) => [path.join(toolsDir, name), `/usr/local/bin/${name}`].find((p) => fs.existsSync(p));
const hcldec = tool('hcldec');
const hclfmt = tool('hclfmt');

const files = fs.readdirSync(nomadDir).filter((f) => f.endsWith('.nomad.hcl'));

// What Nomad resolves itself (variables, node attributes) given fixed values, so hcldec can evaluate.
const vars = JSON.stringify({
  string: 'string',
  number: 'number',
  var: {
    image_tag: 'abc123',
    environment: 'production',
    domain: 'spur.example',
    registry: 'r:5000',
    traefik_version: 'v3',
    port: 5432,
  },
  local: { domain_pattern: 'spur\\.example' },
  node: { unique: { id: 'node' } },
  meta: { spur_volume: 'true' },
});

function decode(text: string): { ok: boolean; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spur-hcldec-'));
  try {
    const spec = fs
      .readFileSync(path.join(root, 'deploy/hcl/nomad-job.hcldec'), 'utf8')
      .replace(/^(\s*)# ENV:.*$/m, (_, indent: string) =>
        configVariableNames()
          .map((name) => `${indent}attr "${name}" { type = string }`)
          .join('\n'),
      );
    fs.writeFileSync(path.join(dir, 'spec.hcldec'), spec);
    // hcldec has no functions: the one `locals` block (replace()) is given as a variable instead.
    fs.writeFileSync(path.join(dir, 'job.hcl'), text.replace(/^locals \{[\s\S]*?^\}\n/m, ''));
    const run = spawnSync(
      hcldec!,
      ['--spec', path.join(dir, 'spec.hcldec'), '--vars', vars, path.join(dir, 'job.hcl')],
      {
        encoding: 'utf8',
      },
    );
    return { ok: run.status === 0, output: run.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hcldec || !hclfmt)('deploy/nomad with hcldec and hclfmt (opt-in)', () => {
  it.each(files)('%s decodes against the Nomad block spec', (file) => {
    const result = decode(fs.readFileSync(path.join(nomadDir, file), 'utf8'));
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('a misspelled key is rejected', () => {
    const text = fs
      .readFileSync(path.join(nomadDir, 'backend.nomad.hcl'), 'utf8')
      .replace('max_parallel', 'max_paralel');
    const result = decode(text);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('An argument named "max_paralel" is not expected here.');
  });

  it.each(files)('%s is formatted as hclfmt formats it', (file) => {
    const text = fs.readFileSync(path.join(nomadDir, file), 'utf8');
    expect(execFileSync(hclfmt!, [path.join(nomadDir, file)], { encoding: 'utf8' })).toBe(text);
  });
});
