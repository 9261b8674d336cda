import countries from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlas from 'world-atlas/countries-110m.json';

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 440;
// Antarctica's 30° and the Arctic beyond 84° carry no visitors; leaving them out gives the map room.
const NORTH = 84;
const SOUTH = -58;

type Position = number[];

function project([lon, lat]: Position): string {
  const x = ((lon! + 180) / 360) * MAP_WIDTH;
  const y = ((NORTH - Math.max(SOUTH, Math.min(NORTH, lat!))) / (NORTH - SOUTH)) * MAP_HEIGHT;
  return `${x.toFixed(1)},${y.toFixed(1)}`;
}

/** A ring as a path; a jump across the antimeridian (Fiji, Chukotka) starts a new subpath instead of a line across the map. */
function ring(points: Position[]): string {
  let d = '';
  let previous: number | undefined;
  for (const p of points) {
    const lon = p[0]!;
    d += `${previous === undefined || Math.abs(lon - previous) > 180 ? 'M' : 'L'}${project(p)}`;
    previous = lon;
  }
  return `${d}Z`;
}

export type CountryShape = { code: string; name: string; d: string };

/**
 * Country outlines from Natural Earth (world-atlas, 1:110m) as SVG paths, keyed by the lower-case
 * ISO alpha-2 code the statistics API uses. A plain equirectangular projection is enough at this
 * size and avoids a projection library.
 */
export function countryShapes(): CountryShape[] {
  const topology = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topology, topology.objects.countries);
  const shapes: CountryShape[] = [];
  for (const f of collection.features) {
    const code = countries.numericToAlpha2(String(f.id ?? ''));
    // Antarctica has no visitors and would fill the bottom of the map.
    if (!code || !f.geometry || code === 'AQ') continue;
    const g = f.geometry;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    shapes.push({
      code: code.toLowerCase(),
      name: f.properties?.name ?? code,
      d: polygons.map((p) => p.map(ring).join('')).join(''),
    });
  }
  return shapes;
}
