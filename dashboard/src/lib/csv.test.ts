import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('CSV export', () => {
  it('when values hold commas, quotes, line breaks or formulas, then they are quoted and defused', () => {
    expect(toCsv(['Page', 'Visitors'], [['/a,b', 3], ['say "hi"', 2], ['line\nbreak', 1], ['=HYPERLINK("x")', 0], [-5, 4]])).toBe(
      'Page,Visitors\r\n"/a,b",3\r\n"say ""hi""",2\r\n"line\nbreak",1\r\n"\'=HYPERLINK(""x"")",0\r\n-5,4\r\n',
    );
  });
});
