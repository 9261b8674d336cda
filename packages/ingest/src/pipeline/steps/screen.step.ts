import { screenClass } from '../../enrich/index.ts';
import type { HitPayload } from '../../contract/payload.schema.ts';
import type { IngestContext } from '../context.ts';

/** Screen class from the reported width; server-side callers may only have the Sec-CH-Width hint. */
export const screenStep = {
  name: 'screen',
  run(ctx: IngestContext) {
    const payload = ctx.input.payload as Partial<HitPayload>;
    const hinted = Number.parseInt(payload.sec_ch_viewport_width ?? payload.sec_ch_width ?? '', 10);
    const width = payload.screen_width || (Number.isFinite(hinted) ? hinted : 0);
    ctx.dims.screen_class = screenClass(width);
  },
};
