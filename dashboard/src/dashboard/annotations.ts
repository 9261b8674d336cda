import type { Annotation } from '../api/annotations.api.ts';

/**
 * Which chart point an annotation belongs to: the bucket (day, week, month, year) that holds its
 * day, i.e. the last label not after it. Labels are the chart's bucket starts, in order. Days
 * before the first bucket belong to none; on an hourly chart (one day) every note of that day
 * belongs to the whole chart, not to an hour.
 */
export function annotationsByPoint(labels: string[], annotations: Annotation[]): Map<number, Annotation[]> {
  const out = new Map<number, Annotation[]>();
  for (const note of annotations) {
    let index = -1;
    for (let i = 0; i < labels.length && labels[i]! <= note.day; i++) index = i;
    if (index < 0) continue;
    out.set(index, [...(out.get(index) ?? []), note]);
  }
  return out;
}
