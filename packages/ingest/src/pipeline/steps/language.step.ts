import { parseLanguage } from '../../enrich/index.ts';
import type { HitPayload } from '../../contract/payload.schema.ts';
import type { IngestContext } from '../context.ts';

export const languageStep = {
  name: 'language',
  run(ctx: IngestContext) {
    const payload = ctx.input.payload as Partial<HitPayload>;
    const header = ctx.input.auth.type === 'principal' ? payload.accept_language : ctx.input.headers['accept-language'];
    ctx.dims.language = parseLanguage(header);
  },
};
