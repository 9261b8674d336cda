import { describe, expect, it } from 'vitest';
import { csvFilename, toCsv } from './csv.ts';

describe('CSV export', () => {
  it('when values hold commas, quotes, line breaks or formulas, then they are quoted and defused', () => {
    expect(
      toCsv(
        ['Page', 'Visitors'],
        [
          ['/a,b', 3],
          ['say "hi"', 2],
          ['line\nbreak', 1],
          ['=HYPERLINK("x")', 0],
          [-5, 4],
        ],
      ),
    ).toBe('Page,Visitors\r\n"/a,b",3\r\n"say ""hi""",2\r\n"line\nbreak",1\r\n"\'=HYPERLINK(""x"")",0\r\n-5,4\r\n');
  });

  it('when a panel names its file after a funnel or an event, then characters a file system trips on become dashes', () => {
    const range = { from: '2026-03-01', to: '2026-03-31' };
    expect(csvFilename('example.com', 'funnel-Home → pricing / "pro"', range)).toBe(
      'example.com-funnel-Home-pricing-pro-2026-03-01-2026-03-31.csv',
    );
    expect(csvFilename('example.com', 'goals', range)).toBe('example.com-goals-2026-03-01-2026-03-31.csv');
  });
});
