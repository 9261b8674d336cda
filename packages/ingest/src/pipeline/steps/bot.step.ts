import { detectBot, isReferrerSpam } from '../../enrich/index.ts';
import type { IngestContext, StepResult } from '../context.ts';

/** Crawlers, prefetches, broken user agents and referrer spam are accepted but never counted. */
export const botStep = {
  name: 'bot',
  run(ctx: IngestContext): StepResult {
    const reason = detectBot({ userAgent: ctx.userAgent, headers: ctx.input.headers });
    if (reason) return { drop: reason };
    const referrer = (ctx.input.payload as { referrer?: string }).referrer;
    if (referrer) {
      try {
        if (isReferrerSpam(new URL(referrer).hostname)) return { drop: 'referrer_spam' };
      } catch {
        // not a URL: the referrer step ignores it
      }
    }
  },
};
