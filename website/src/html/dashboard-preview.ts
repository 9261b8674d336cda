/**
 * The home page's picture of the dashboard, drawn as SVG so it is sharp, a few kilobytes and needs
 * no image pipeline. Served as /images/dashboard.svg with fixed width and height attributes in the
 * <img> tag, so the page does not jump while it loads.
 */
export const PREVIEW_WIDTH = 960;
export const PREVIEW_HEIGHT = 560;

// Thirty days with a weekday rhythm and a gentle upward trend, like real sites show.
const weekday = [1, 0.96, 0.98, 0.93, 0.84, 0.58, 0.62];
const days = Array.from({ length: 30 }, (_, i) => 380 * weekday[i % 7]! * (1 + i / 90));

function chartPath(x0: number, y0: number, width: number, height: number): { line: string; area: string } {
  const max = Math.max(...days) * 1.1;
  const points = days.map((v, i) => [x0 + (i / (days.length - 1)) * width, y0 + height - (v / max) * height] as const);
  const line = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`).join('');
  return { line, area: `${line}L${x0 + width} ${y0 + height}L${x0} ${y0 + height}Z` };
}

function stat(x: number, label: string, value: string, change: string): string {
  return `<text x="${x}" y="118" class="l">${label}</text><text x="${x}" y="152" class="v">${value}</text><text x="${x}" y="174" class="c">${change}</text>`;
}

function list(x: number, title: string, rows: [string, number][]): string {
  const max = rows[0]![1];
  const items = rows
    .map(([label, value], i) => {
      const y = 428 + i * 26;
      return `<rect x="${x}" y="${y - 15}" width="${((value / max) * 340).toFixed(0)}" height="20" rx="3" fill="#fde6d8"/><text x="${x + 8}" y="${y}" class="r">${label}</text><text x="${x + 410}" y="${y}" class="r" text-anchor="end">${value.toLocaleString('en-US')}</text>`;
    })
    .join('');
  return `<text x="${x}" y="400" class="h">${title}</text>${items}`;
}

const { line, area } = chartPath(40, 200, 880, 150);

export const dashboardPreviewSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${PREVIEW_WIDTH}" height="${PREVIEW_HEIGHT}" viewBox="0 0 ${PREVIEW_WIDTH} ${PREVIEW_HEIGHT}" font-family="system-ui,-apple-system,Segoe UI,Roboto,sans-serif">
<style>.l{font-size:13px;fill:#5a6371}.v{font-size:26px;font-weight:700;fill:#17202c}.c{font-size:12px;fill:#15803d}.h{font-size:14px;font-weight:600;fill:#17202c}.r{font-size:13px;fill:#17202c}</style>
<rect width="960" height="560" rx="12" fill="#fff"/>
<rect width="960" height="56" rx="12" fill="#f7f4f0"/><rect y="44" width="960" height="12" fill="#f7f4f0"/>
<circle cx="26" cy="28" r="6" fill="#e8b4a0"/><circle cx="46" cy="28" r="6" fill="#f0d2a8"/><circle cx="66" cy="28" r="6" fill="#c9dcc2"/>
<text x="96" y="33" class="h">demo.spur.example</text>
<rect x="784" y="16" width="150" height="26" rx="6" fill="#fff" stroke="#e6e1da"/><text x="859" y="34" class="l" text-anchor="middle">Last 30 days</text>
${stat(40, 'Visitors', '12,480', '&#9650; 8.2%')}${stat(260, 'Page views', '31,902', '&#9650; 5.1%')}${stat(480, 'Bounce rate', '41%', '&#9660; 2.3 pts')}${stat(700, 'Avg. session', '2m 36s', '&#9650; 12s')}
<path d="${area}" fill="#fde6d8"/><path d="${line}" fill="none" stroke="#c2410c" stroke-width="2.5" stroke-linejoin="round"/>
<line x1="40" y1="350.5" x2="920" y2="350.5" stroke="#e6e1da"/>
${list(40, 'Top pages', [
  ['/', 8120],
  ['/pricing', 3410],
  ['/blog/launch', 2260],
  ['/docs', 1790],
  ['/features', 1210],
])}
${list(500, 'Referrers', [
  ['Google', 5310],
  ['Direct', 3980],
  ['news.ycombinator.com', 1420],
  ['DuckDuckGo', 860],
  ['Newsletter', 640],
])}
</svg>`;
