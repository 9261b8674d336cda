/**
 * Enough of Traefik's rule language to route a request the way Traefik would with the rules in
 * deploy/nomad: Host, HostRegexp, PathPrefix, &&, || and parentheses; among matching routers the
 * highest priority wins (our routers all set one).
 */
type Request = { host: string; path: string };
type Matcher = (r: Request) => boolean;

export function compileRule(rule: string): Matcher {
  let i = 0;
  const skip = () => {
    while (rule[i] === ' ') i++;
  };
  const expect = (token: string) => {
    skip();
    if (!rule.startsWith(token, i)) throw new Error(`rule "${rule}": expected ${token} at ${i}`);
    i += token.length;
  };
  const call = (): Matcher => {
    skip();
    if (rule[i] === '(') {
      i++;
      const inner = or();
      expect(')');
      return inner;
    }
    const name = /^[A-Za-z]+/.exec(rule.slice(i))?.[0];
    if (!name) throw new Error(`rule "${rule}": expected a matcher at ${i}`);
    i += name.length;
    expect('(`');
    const end = rule.indexOf('`', i);
    const arg = rule.slice(i, end);
    i = end + 1;
    expect(')');
    switch (name) {
      case 'Host':
        return (r) => r.host.toLowerCase() === arg.toLowerCase();
      case 'HostRegexp': {
        const re = new RegExp(arg, 'i');
        return (r) => re.test(r.host);
      }
      case 'PathPrefix':
        return (r) => r.path.startsWith(arg);
      default:
        throw new Error(`rule "${rule}": matcher ${name} is not supported here`);
    }
  };
  const and = (): Matcher => {
    let left = call();
    for (skip(); rule.startsWith('&&', i); skip()) {
      i += 2;
      const a = left;
      const b = call();
      left = (r) => a(r) && b(r);
    }
    return left;
  };
  const or = (): Matcher => {
    let left = and();
    for (skip(); rule.startsWith('||', i); skip()) {
      i += 2;
      const a = left;
      const b = and();
      left = (r) => a(r) || b(r);
    }
    return left;
  };
  const matcher = or();
  skip();
  if (i !== rule.length) throw new Error(`rule "${rule}": unexpected text at ${i}`);
  return matcher;
}

export type Router = { name: string; service: string; rule: string; priority: number; match: Matcher };

/** Routers from Consul tags (`traefik.http.routers.<name>.rule=…`, `.priority=…`) of one service. */
export function routersOf(service: string, tags: string[], vars: Record<string, string>): Router[] {
  const expand = (text: string) =>
    text.replace(/\$\{(var|local)\.(\w+)\}/g, (_, _kind, name: string) => vars[name] ?? '');
  const rules = new Map<string, { rule?: string; priority?: number }>();
  for (const tag of tags) {
    const match = /^traefik\.http\.routers\.([\w-]+)\.(rule|priority)=(.*)$/.exec(tag);
    if (!match) continue;
    const entry = rules.get(match[1]!) ?? {};
    if (match[2] === 'rule') entry.rule = expand(match[3]!);
    else entry.priority = Number(match[3]);
    rules.set(match[1]!, entry);
  }
  return [...rules].map(([name, r]) => {
    if (!r.rule || !(r.priority! > 0)) throw new Error(`router ${name} needs a rule and a priority`);
    return { name, service, rule: r.rule, priority: r.priority!, match: compileRule(r.rule) };
  });
}

export function route(routers: Router[], request: Request): Router | undefined {
  return routers.filter((r) => r.match(request)).sort((a, b) => b.priority - a.priority)[0];
}
