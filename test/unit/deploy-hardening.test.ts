import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const deploy = path.resolve(import.meta.dirname, '../../deploy');
type UserData = {
  ssh_pwauth?: boolean;
  packages: string[];
  write_files: { path: string; content: string }[];
  runcmd: string[][];
};
const read = (name: string) => parse(fs.readFileSync(path.join(deploy, 'cloud-init', name), 'utf8')) as UserData;
const file = (data: UserData, where: string) => data.write_files.find((f) => f.path === where)?.content ?? '';

describe('every machine is hardened and ships its logs (issue 19)', () => {
  it.each(['cluster-node.yaml', 'clickhouse.yaml'])(
    'when %s boots, then SSH takes keys only, security updates, fail2ban, time sync and node_exporter run, and the journal is uploaded',
    (name) => {
      const data = read(name);
      expect(data.ssh_pwauth).toBe(false);
      expect(data.packages).toEqual(
        expect.arrayContaining(['unattended-upgrades', 'fail2ban', 'chrony', 'prometheus-node-exporter']),
      );
      expect(file(data, '/etc/ssh/sshd_config.d/10-spur.conf')).toMatch(/^PasswordAuthentication no$/m);
      expect(file(data, '/etc/ssh/sshd_config.d/10-spur.conf')).toMatch(/^PermitRootLogin prohibit-password$/m);
      expect(file(data, '/etc/apt/apt.conf.d/20auto-upgrades')).toContain('APT::Periodic::Unattended-Upgrade "1";');
      expect(file(data, '/etc/fail2ban/jail.d/sshd.local')).toMatch(/^\[sshd\]\nenabled = true$/m);
      // One collector for every node's logs, on the private network.
      expect(file(data, '/etc/systemd/journal-upload.conf')).toMatch(/^URL=http:\/\/10\.0\.1\.20:19532$/m);
      const enabled = data.runcmd.filter((c) => c[0] === 'systemctl' && c[1] === 'enable').flatMap((c) => c.slice(3));
      expect(enabled).toEqual(
        expect.arrayContaining([
          'unattended-upgrades',
          'fail2ban',
          'chrony',
          'prometheus-node-exporter',
          'systemd-journal-upload',
        ]),
      );
    },
  );

  it('when the ClickHouse VM boots, then it is the log collector, one file per node under /var/log/journal/remote', () => {
    const data = read('clickhouse.yaml');
    expect(file(data, '/etc/systemd/system/systemd-journal-remote.service.d/spur.conf')).toContain(
      '--listen-http=-3 --output=/var/log/journal/remote/',
    );
    expect(data.runcmd).toContainEqual([
      'systemctl',
      'enable',
      '--now',
      'systemd-journal-remote.socket',
      'systemd-journal-upload',
    ]);
  });
});
