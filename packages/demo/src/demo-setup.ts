import { createAnnotation, createFunnel, createGoal, listGoals, type AccountsContext } from '@spur/accounts';

/** Purchases add up their `amount` in euros (the main site's goal, and the rollup view's). */
export const REVENUE_GOAL = {
  name: 'Revenue',
  event_name: 'Purchase',
  custom_metric_key: 'amount',
  custom_metric_type: 'float',
  currency: 'EUR',
};

/**
 * What a customer would have set up on the demo's main site: goals (one adds up revenue), a
 * sign-up funnel and notes on the chart. Once per site: a site that has any goal is left alone,
 * so a customer's own changes in the demo survive a restart.
 */
export async function seedDemoSetup(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  today: Date,
): Promise<boolean> {
  if ((await listGoals(ctx.db, siteId)).length > 0) return false;
  const goals = [
    { name: 'Signed up', event_name: 'Signup', cr_goal: 0.05 },
    REVENUE_GOAL,
    { name: 'Saw pricing', path_pattern: '/pricing' },
    { name: 'Read the docs', path_pattern: '/docs/**', visitor_goal: 2_000 },
  ];
  for (const goal of goals) await createGoal(ctx, userId, siteId, goal);
  await createFunnel(ctx, userId, siteId, {
    name: 'Sign-up',
    steps: [
      { name: 'Home', filter: { path: '/' } },
      { name: 'Pricing', filter: { path: '/pricing' } },
      { name: 'Sign-up page', filter: { path: '/signup' } },
      { name: 'Signed up', filter: { event: 'Signup' } },
    ],
  });
  const daysAgo = (n: number) => new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);
  for (const [ago, text] of [
    [45, 'Pricing page redesign'],
    [20, 'v2 released'],
    [8, 'Newsletter sent'],
  ] as const)
    await createAnnotation(ctx, userId, siteId, { day: daysAgo(ago), text });
  return true;
}
