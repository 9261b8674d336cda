import { parseUserAgent } from '../../enrich/index.ts';
import type { HitPayload } from '../../contract/payload.schema.ts';
import type { IngestContext } from '../context.ts';

export const userAgentStep = {
  name: 'user-agent',
  run(ctx: IngestContext) {
    const payload = ctx.input.payload as Partial<HitPayload>;
    const h = ctx.input.headers;
    const serverSide = ctx.input.auth.type === 'principal';
    const info = parseUserAgent(ctx.userAgent, {
      sec_ch_ua: serverSide ? payload.sec_ch_ua : h['sec-ch-ua'],
      sec_ch_ua_mobile: serverSide ? payload.sec_ch_ua_mobile : h['sec-ch-ua-mobile'],
      sec_ch_ua_platform: serverSide ? payload.sec_ch_ua_platform : h['sec-ch-ua-platform'],
      sec_ch_ua_platform_version: serverSide ? payload.sec_ch_ua_platform_version : h['sec-ch-ua-platform-version'],
    });
    Object.assign(ctx.dims, info);
  },
};
