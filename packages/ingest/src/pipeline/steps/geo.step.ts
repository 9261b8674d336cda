import type { GeoLookup } from '../../enrich/index.ts';
import type { IngestContext, StepResult } from '../context.ts';

/** Country, region and city from the IP (an in-memory mmdb lookup), then the country filter. */
export function geoStep(geo: GeoLookup) {
  return {
    name: 'geo',
    run(ctx: IngestContext): StepResult {
      const place = geo.lookup(ctx.ip);
      ctx.dims.country_code = place.country_code;
      ctx.dims.region = place.region;
      ctx.dims.city = place.city;
      const blocked = ctx.site.filters.countries;
      if (blocked.length > 0 && place.country_code && blocked.includes(place.country_code)) {
        return { drop: 'filtered_country' };
      }
    },
  };
}
