import { renderLayout, type RenderedEmail } from '../layout.ts';

/** Billing notices. Each says what happens, when, and the one thing to do about it. */

export function trialEndingMessage(input: { organizationName: string; daysLeft: number; billingUrl: string }) {
  const when = input.daysLeft <= 1 ? 'tomorrow' : `in ${input.daysLeft} days`;
  return renderLayout(`Your Spur trial ends ${when}`, {
    heading: `Your trial ends ${when}`,
    preheader: `Choose a plan for ${input.organizationName} to keep your statistics.`,
    paragraphs: [
      `The free trial of ${input.organizationName} on Spur ends ${when}.`,
      'Choose a plan to keep seeing your statistics. If you do not, your dashboard locks when the trial ends; your sites keep being counted for 14 more days, so nothing is lost if you subscribe later.',
    ],
    action: { label: 'Choose a plan', url: input.billingUrl },
  });
}

export function quotaMessage(input: {
  organizationName: string;
  percent: 80 | 100;
  usage: number;
  quota: number;
  billingUrl: string;
}): RenderedEmail {
  const headline =
    input.percent === 100 ? 'has used its monthly page views' : 'has used 80 % of its monthly page views';
  return renderLayout(`${input.organizationName} ${headline}`, {
    heading: input.percent === 100 ? 'Your plan’s page views are used up' : 'You have used 80 % of your page views',
    preheader: `${input.usage} of ${input.quota} page views and events this billing cycle.`,
    paragraphs: [
      `${input.organizationName} counted ${input.usage} page views and events of the ${input.quota} its plan includes this billing cycle.`,
      'Nothing is dropped and nothing is charged extra: a traffic spike never costs you data. Only if your sites stay more than 10 % over for two cycles in a row do we ask you to upgrade.',
    ],
    action: { label: 'See your usage', url: input.billingUrl },
  });
}

export function overQuotaGraceMessage(input: {
  organizationName: string;
  lockDate: string;
  billingUrl: string;
}): RenderedEmail {
  return renderLayout(`Please upgrade ${input.organizationName}: two cycles over the plan`, {
    heading: 'Two billing cycles over your plan',
    preheader: `Upgrade before ${input.lockDate} to keep seeing your statistics.`,
    paragraphs: [
      `The sites of ${input.organizationName} used more than 10 % over the plan's page views in each of the last two billing cycles.`,
      `Please choose a larger tier before ${input.lockDate}. After that date the dashboard asks for an upgrade before it shows statistics; your sites keep being counted and upgrading unlocks everything at once.`,
    ],
    action: { label: 'Upgrade', url: input.billingUrl },
  });
}

export function ingestStopMessage(input: {
  organizationName: string;
  daysLeft: number;
  stopDate: string;
  billingUrl: string;
}): RenderedEmail {
  const when = input.daysLeft <= 1 ? 'tomorrow' : `in ${input.daysLeft} days`;
  return renderLayout(`Spur stops counting ${input.organizationName} ${when}`, {
    heading: `We stop counting your sites ${when}`,
    preheader: `Subscribe before ${input.stopDate} to keep your sites counted.`,
    paragraphs: [
      `${input.organizationName} has no active subscription, so its statistics are locked. Its sites are still being counted until ${input.stopDate}.`,
      'Subscribe before then and everything collected so far appears again at once; after that date new visits are no longer recorded.',
    ],
    action: { label: 'Subscribe', url: input.billingUrl },
  });
}
