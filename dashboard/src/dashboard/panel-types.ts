import type { StatsParams } from '../api/stats.api.ts';
import type { FilterField } from '../query/filters.ts';

/** One line of a breakdown panel, already in words. */
export type PanelRow = {
  label: string;
  /** What a click filters by; rows without one (e.g. "Direct / none") are not clickable. */
  filter?: { field: FilterField; value: string };
  visitors: number;
  /** Share of the period's visitors, 0–1, drawn as the row's bar. */
  share: number;
  /** Further columns, matching the tab's `columns`. */
  extra?: string[];
  icon?: string;
  /** The custom metric of the row's events, when a goal that adds up a value is selected. */
  metric?: { total: number; avg: number };
  /** Shown on hover (a page's title). */
  hint?: string;
};

export type PanelTab = {
  key: string;
  label: string;
  /** Heading of the first column. */
  dimension: string;
  columns?: string[];
  load: (params: StatsParams, signal: AbortSignal) => Promise<PanelRow[]>;
  /** `share` is a rate of its own (entry and exit rates), not a share of the visitors. */
  ownShare?: boolean;
  /** Shown instead of the table (the world map, the platform split, ...). */
  view?: 'map';
};
