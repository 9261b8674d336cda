const DAY = 86_400_000;

/** `anchor` plus `months` calendar months, the day clamped to the month's end (Jan 31 → Feb 28). */
export function addMonths(anchor: Date, months: number): Date {
  const target = new Date(
    Date.UTC(
      anchor.getUTCFullYear(),
      anchor.getUTCMonth() + months,
      1,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(anchor.getUTCDate(), lastDay));
  return target;
}

export type Cycle = { start: Date; end: Date };

/**
 * The monthly usage window containing `at`, anchored on the billing day. Yearly plans are measured
 * in monthly windows too: their tiers are monthly page views.
 */
export function cycleAt(anchor: Date, at: Date): Cycle {
  let months = (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
  if (addMonths(anchor, months) > at) months -= 1;
  if (addMonths(anchor, months + 1) <= at) months += 1;
  return { start: addMonths(anchor, months), end: addMonths(anchor, months + 1) };
}

/** The cycle `n` cycles before the one containing `at` (n = 1: the last complete one). */
export function previousCycle(anchor: Date, at: Date, n = 1): Cycle {
  let cycle = cycleAt(anchor, at);
  for (let i = 0; i < n; i++) cycle = cycleAt(anchor, new Date(cycle.start.getTime() - 1));
  return cycle;
}

/** UTC calendar days of a cycle as YYYY-MM-DD (the usage table's `day`), up to `until`. */
export function cycleDays(cycle: Cycle, until: Date = cycle.end): string[] {
  const days: string[] = [];
  const last = Math.min(cycle.end.getTime() - 1, until.getTime());
  for (
    let t = Date.UTC(cycle.start.getUTCFullYear(), cycle.start.getUTCMonth(), cycle.start.getUTCDate());
    t <= last;
    t += DAY
  )
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
