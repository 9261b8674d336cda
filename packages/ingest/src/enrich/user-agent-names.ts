/**
 * One spelling per browser and OS. ua-parser-js names the same browser differently by device
 * ("Mobile Safari", "Mobile Firefox") and lists Linux distributions separately; dashboards group
 * by what a site owner cares about.
 */

const BROWSER_NAMES: Readonly<Record<string, string>> = {
  'Mobile Safari': 'Safari',
  'Mobile Chrome': 'Chrome',
  'Mobile Firefox': 'Firefox',
  'Chrome Headless': 'Chrome',
  'Chrome WebView': 'Android WebView',
  'Android Browser': 'Android Browser',
  IEMobile: 'IE',
  'Opera Mobi': 'Opera',
  'Opera Touch': 'Opera',
  'Opera Tablet': 'Opera',
  Yandex: 'Yandex',
  UCBrowser: 'UC Browser',
};

const OS_NAMES: Readonly<Record<string, string>> = {
  'Mac OS': 'macOS',
  macOS: 'macOS',
  'Chromium OS': 'Chrome OS',
  'Chrome OS': 'Chrome OS',
  'Windows Phone': 'Windows Phone',
  'Windows Mobile': 'Windows Phone',
};

// Distributions ua-parser-js recognises; visitors are "Linux" whichever they run.
const LINUX_DISTRIBUTIONS = new Set(
  [
    'Arch',
    'CentOS',
    'Debian',
    'Deepin',
    'elementary OS',
    'Fedora',
    'Gentoo',
    'Kubuntu',
    'Linpus',
    'Linspire',
    'Mageia',
    'Mandriva',
    'Manjaro',
    'Mint',
    'PCLinuxOS',
    'RedHat',
    'Red Hat',
    'Slackware',
    'SUSE',
    'openSUSE',
    'Ubuntu',
    'VectorLinux',
    'Xubuntu',
    'Zenwalk',
    'Knoppix',
    'Sabayon',
    'Raspbian',
  ].map((name) => name.toLowerCase()),
);

const DESKTOP_OS = new Set(['Windows', 'macOS', 'Linux', 'Chrome OS', 'FreeBSD', 'OpenBSD', 'NetBSD', 'Solaris']);

export function browserName(name: string | undefined): string {
  if (!name) return '';
  return BROWSER_NAMES[name] ?? name;
}

export function osName(name: string | undefined): string {
  if (!name) return '';
  if (LINUX_DISTRIBUTIONS.has(name.toLowerCase())) return 'Linux';
  return OS_NAMES[name] ?? name;
}

export function isDesktopOs(os: string): boolean {
  return DESKTOP_OS.has(os);
}

/** `124.0.6367.88` → `124`. */
export function reduceBrowserVersion(version: string | undefined): string {
  const major = /^\d+/.exec(version ?? '');
  return major ? String(Number(major[0])) : '';
}

/**
 * `10.15.7` → `10.15`, `17.4.1` → `17.4`, `14.0` → `14`. Windows versions are already names (`10`,
 * `8.1`, `XP`); Linux has none worth showing; Chrome OS shows its platform major.
 */
export function reduceOsVersion(os: string, version: string | undefined): string {
  if (!version || os === 'Linux') return '';
  if (os === 'Windows') return /^[\w.]{1,8}$/.test(version) ? version : '';
  const match = /^(\d+)(?:[._](\d+))?/.exec(version);
  if (!match) return '';
  const major = String(Number(match[1]));
  if (os === 'Chrome OS') return major;
  const minor = Number(match[2] ?? '0');
  return minor === 0 ? major : `${major}.${minor}`;
}
