import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('CSV export', () => {
  it('when rows have nested objects, lists, commas and quotes, then they become RFC 4180 cells', () => {
    const csv = toCsv([
      { name: 'Signup, "pro"', meta_keys: ['plan', 'seats'], stats: { visitors: 2, cr: 0.5 }, growth: -0.25 },
      { name: 'line\nbreak', meta_keys: [], stats: { visitors: 1, cr: 0 }, growth: 0 },
    ]);
    expect(csv).toBe(
      'name,meta_keys,stats.visitors,stats.cr,growth\r\n"Signup, ""pro""",plan|seats,2,0.5,-0.25\r\n"line\nbreak",,1,0,0\r\n',
    );
  });

  it('when visitor-supplied text looks like a formula, then a spreadsheet will not run it', () => {
    expect(toCsv([{ path: '=HYPERLINK("x")', title: '@SUM(1)', referrer: '-1+2' }])).toBe(
      'path,title,referrer\r\n"\'=HYPERLINK(""x"")",\'@SUM(1),\'-1+2\r\n',
    );
  });

  it('when there are no rows, then only an empty line remains', () => {
    expect(toCsv([])).toBe('\r\n');
  });
});
