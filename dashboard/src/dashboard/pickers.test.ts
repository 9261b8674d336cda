import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ComparisonPicker from './ComparisonPicker.vue';
import DateRangePicker from './DateRangePicker.vue';
import FilterBar from './FilterBar.vue';

const today = '2026-03-31';

describe('DateRangePicker', () => {
  it('when a preset is chosen, then it emits that period and shows the resolved dates', async () => {
    const wrapper = mount(DateRangePicker, {
      props: { period: '30d', range: { from: '2026-03-02', to: today }, today },
    });
    expect(wrapper.get('[data-testid="range-label"]').text()).toBe('Mar 2 – Mar 31');
    await wrapper.get('select').setValue('7d');
    expect(wrapper.emitted('change')).toEqual([[{ period: '7d' }]]);
  });

  it('when "Custom range" is chosen and valid dates applied, then the custom range is emitted', async () => {
    const wrapper = mount(DateRangePicker, {
      props: { period: '30d', range: { from: '2026-03-02', to: today }, today },
    });
    await wrapper.get('select').setValue('custom');
    expect(wrapper.emitted('change')).toBeUndefined();
    const [from, to] = wrapper.findAll('input[type="date"]');
    await from!.setValue('2026-02-01');
    await to!.setValue('2026-02-14');
    await wrapper.get('[data-testid="custom-range"]').trigger('submit');
    expect(wrapper.emitted('change')).toEqual([
      [{ period: 'custom', custom: { from: '2026-02-01', to: '2026-02-14' } }],
    ]);
  });

  it('when the custom range is reversed or in the future, then it says why and emits nothing', async () => {
    const wrapper = mount(DateRangePicker, {
      props: { period: 'custom', range: { from: '2026-03-10', to: '2026-03-01' }, today },
    });
    await wrapper.get('[data-testid="custom-range"]').trigger('submit');
    expect(wrapper.get('[role="alert"]').text()).toBe('The start must not be after the end.');
    const [from, to] = wrapper.findAll('input[type="date"]');
    await from!.setValue('2026-03-01');
    await to!.setValue('2026-04-02');
    await wrapper.get('[data-testid="custom-range"]').trigger('submit');
    expect(wrapper.get('[role="alert"]').text()).toBe('The end cannot be in the future.');
    expect(wrapper.emitted('change')).toBeUndefined();
  });
});

describe('ComparisonPicker', () => {
  it('when the previous period is selected, then the compared dates are the days right before', () => {
    const wrapper = mount(ComparisonPicker, {
      props: { compare: 'previous', range: { from: '2026-03-25', to: today }, today },
    });
    expect(wrapper.get('[data-testid="compare-label"]').text()).toBe('Mar 18 – Mar 24');
  });

  it('when the previous year is selected, then the same dates a year earlier are shown', () => {
    const wrapper = mount(ComparisonPicker, {
      props: { compare: 'year', range: { from: '2026-03-25', to: today }, today },
    });
    expect(wrapper.get('[data-testid="compare-label"]').text()).toBe('Mar 25, 2025 – Mar 31, 2025');
  });

  it('when the choice changes, then it is emitted; a custom period needs its dates first', async () => {
    const wrapper = mount(ComparisonPicker, {
      props: { compare: 'previous', range: { from: '2026-03-25', to: today }, today },
    });
    await wrapper.get('select').setValue('off');
    await wrapper.get('select').setValue('custom');
    expect(wrapper.emitted('change')).toEqual([[{ compare: 'off' }]]);
    const [from, to] = wrapper.findAll('input[type="date"]');
    await from!.setValue('2025-12-01');
    await to!.setValue('2025-12-07');
    await wrapper.get('[data-testid="custom-compare"]').trigger('submit');
    expect(wrapper.emitted('change')![1]).toEqual([
      { compare: 'custom', compareCustom: { from: '2025-12-01', to: '2025-12-07' } },
    ]);
  });
});

describe('FilterBar', () => {
  it('when filters are active, then each is a chip in words with its own remove button', async () => {
    const filters = [
      { field: 'referrer_name', op: 'is', value: 'Google' },
      { field: 'path', op: 'not_contains', value: '/admin' },
    ] as const;
    const wrapper = mount(FilterBar, { props: { filters: [...filters] } });
    expect(wrapper.findAll('[data-testid="filter-chip"]').map((c) => c.find('span').text())).toEqual([
      'Referrer is Google',
      'Page does not contain /admin',
    ]);
    await wrapper.get('button[aria-label="Remove filter: Page does not contain /admin"]').trigger('click');
    expect(wrapper.emitted('remove')).toEqual([[filters[1]]]);
  });

  it('when a filter is added through the form, then field, operator and trimmed value are emitted', async () => {
    const wrapper = mount(FilterBar, { props: { filters: [] } });
    await wrapper.get('[data-testid="add-filter"]').trigger('click');
    await wrapper.get('#filter-field').setValue('country');
    await wrapper.get('#filter-op').setValue('is_not');
    await wrapper.get('#filter-value').setValue('  de ');
    await wrapper.get('[data-testid="filter-form"]').trigger('submit');
    expect(wrapper.emitted('add')).toEqual([[{ field: 'country', op: 'is_not', value: 'de' }]]);
    expect(wrapper.find('[data-testid="filter-form"]').exists()).toBe(false);
  });

  it('when the value is empty, then nothing is added', async () => {
    const wrapper = mount(FilterBar, { props: { filters: [] } });
    await wrapper.get('[data-testid="add-filter"]').trigger('click');
    await wrapper.get('[data-testid="filter-form"]').trigger('submit');
    expect(wrapper.emitted('add')).toBeUndefined();
  });
});

describe('FilterBar suggestions', () => {
  it('when the form opens and the field changes, then the values seen for that field are offered', async () => {
    const suggest = async (field: string) => (field === 'browser' ? ['Chrome', 'Firefox'] : ['/']);
    const wrapper = mount(FilterBar, { props: { filters: [], suggest } });
    await wrapper.get('[data-testid="add-filter"]').trigger('click');
    await new Promise((r) => setTimeout(r, 0));
    expect(wrapper.findAll('datalist option').map((o) => o.attributes('value'))).toEqual(['/']);
    await wrapper.get('#filter-field').setValue('browser');
    await new Promise((r) => setTimeout(r, 0));
    expect(wrapper.findAll('datalist option').map((o) => o.attributes('value'))).toEqual(['Chrome', 'Firefox']);
  });
});
