import { describe, expect, it } from 'vitest';
import { compareStreamIds, isDeletedEntry, type StatisticsDeletion } from './session-state.ts';

describe('statistics deletions as flushers apply them', () => {
  it('orders stream ids by time, then sequence, as numbers', () => {
    expect(compareStreamIds('1700000000000-2', '1700000000000-10')).toBeLessThan(0);
    expect(compareStreamIds('1700000000001-0', '1700000000000-99')).toBeGreaterThan(0);
    expect(compareStreamIds('1700000000000-3', '1700000000000-3')).toBe(0);
    expect(compareStreamIds('0-0', '1-0')).toBeLessThan(0);
  });

  it('drops an entry only of the site, up to the cutoff, whose visit started in the period', () => {
    const deletion: StatisticsDeletion = { siteId: '7', from: 1_000, to: 2_000, cutoff: '5000-3' };
    const entry = { id: '5000-3', siteId: '7', start: 1_000 };
    expect(isDeletedEntry([deletion], entry)).toBe(true);
    expect(isDeletedEntry([deletion], { ...entry, id: '5000-4' })).toBe(false);
    expect(isDeletedEntry([deletion], { ...entry, id: '4999-9' })).toBe(true);
    expect(isDeletedEntry([deletion], { ...entry, siteId: '8' })).toBe(false);
    expect(isDeletedEntry([deletion], { ...entry, start: 999 })).toBe(false);
    expect(isDeletedEntry([deletion], { ...entry, start: 1_999 })).toBe(true);
    expect(isDeletedEntry([deletion], { ...entry, start: 2_000 })).toBe(false);
    const everything = { ...deletion, from: -Infinity, to: Infinity };
    expect(isDeletedEntry([everything], { ...entry, start: 0 })).toBe(true);
    expect(isDeletedEntry([everything], { ...entry, start: Number.NaN })).toBe(true);
    expect(isDeletedEntry([deletion], { ...entry, start: Number.NaN })).toBe(false);
    expect(isDeletedEntry([], entry)).toBe(false);
    // While the deletion runs (no cutoff yet), newer entries of the period are dropped too.
    const running = { ...deletion, cutoff: undefined };
    expect(isDeletedEntry([running], { ...entry, id: '9999999-0' })).toBe(true);
    expect(isDeletedEntry([running], { ...entry, id: '9999999-0', start: 2_000 })).toBe(false);
  });
});
