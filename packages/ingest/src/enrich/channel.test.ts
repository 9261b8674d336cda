import { describe, expect, it } from 'vitest';
import { classifyChannel, type ChannelInput } from './channel.ts';

const none: ChannelInput = {
  referrerName: '',
  referrerHost: '',
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  gclid: false,
  msclkid: false,
};
const visit = (fields: Partial<ChannelInput>) => classifyChannel({ ...none, ...fields });
const from = (referrerName: string, referrerHost: string) => ({ referrerName, referrerHost });

describe('classifyChannel', () => {
  it('when nothing names a source, then the visit is Direct', () => {
    expect(visit({})).toBe('Direct');
    expect(visit({ utm_source: '(direct)', utm_medium: '(none)' })).toBe('Direct');
  });

  it.each([
    ['Google', from('Google', 'www.google.de'), 'Organic Search'],
    ['Bing', from('Bing', 'www.bing.com'), 'Organic Search'],
    ['DuckDuckGo', from('DuckDuckGo', 'duckduckgo.com'), 'Organic Search'],
    ['the Google app', from('Google', 'com.google.android.googlequicksearchbox'), 'Organic Search'],
    ['X', from('X', 't.co'), 'Organic Social'],
    ['Facebook', from('Facebook', 'l.facebook.com'), 'Organic Social'],
    ['Hacker News', from('Hacker News', 'news.ycombinator.com'), 'Organic Social'],
    ['a Mastodon server', from('Mastodon', 'mastodon.example.net'), 'Organic Social'],
    ['YouTube', from('YouTube', 'm.youtube.com'), 'Video'],
    ['ChatGPT', from('ChatGPT', 'chatgpt.com'), 'AI Assistants'],
    ['Perplexity', from('Perplexity', 'www.perplexity.ai'), 'AI Assistants'],
    ['Gemini (not Google Search)', from('Gemini', 'gemini.google.com'), 'AI Assistants'],
    ['Gmail', from('Gmail', 'mail.google.com'), 'Email'],
    ['the Gmail app', from('Gmail', 'com.google.android.gm'), 'Email'],
    ['GitHub', from('GitHub', 'github.com'), 'Referral'],
    ['an unknown blog', from('some-blog.example', 'www.some-blog.example'), 'Referral'],
  ])('when the referrer is %s, then the channel follows its category', (_label, referrer, expected) => {
    expect(visit(referrer)).toBe(expected);
  });

  it('when there is no Referer but utm_source names a known source, then its category decides', () => {
    expect(visit({ referrerName: 'ChatGPT', utm_source: 'chatgpt.com' })).toBe('AI Assistants');
    expect(visit({ referrerName: 'X', utm_source: 'twitter' })).toBe('Organic Social');
    expect(visit({ referrerName: 'Spring Newsletter', utm_source: 'spring newsletter' })).toBe('Email');
  });

  it('when a click id or cost-per-click medium is present, then the visit is paid search unless the source is social or video', () => {
    expect(visit({ ...from('Google', 'www.google.com'), gclid: true })).toBe('Paid Search');
    expect(visit({ msclkid: true })).toBe('Paid Search');
    expect(visit({ utm_source: 'google', utm_medium: 'cpc' })).toBe('Paid Search');
    expect(visit({ utm_source: 'bing', utm_medium: 'ppc' })).toBe('Paid Search');
    expect(visit({ utm_source: 'facebook', utm_medium: 'cpc' })).toBe('Paid Social');
    expect(visit({ utm_source: 'linkedin', utm_medium: 'paid' })).toBe('Paid Social');
    expect(visit({ utm_source: 'newsletter-partner', utm_medium: 'paid_social' })).toBe('Paid Social');
    expect(visit({ utm_source: 'meta', utm_medium: 'fb_cpc' })).toBe('Paid Social');
    expect(visit({ utm_source: 'spring-sale', utm_medium: 'cpc' })).toBe('Paid Search');
    expect(visit({ ...from('YouTube', 'www.youtube.com'), gclid: true })).toBe('Video');
    expect(visit({ utm_source: 'adnetwork', utm_medium: 'cpm' })).toBe('Display');
  });

  it('when the medium names display, affiliate, email, social, video or organic, then it decides for unknown sources', () => {
    expect(visit({ utm_source: 'adnetwork', utm_medium: 'banner' })).toBe('Display');
    expect(visit({ utm_source: 'partnerblog', utm_medium: 'affiliate' })).toBe('Affiliates');
    expect(visit({ utm_source: 'crm', utm_medium: 'email' })).toBe('Email');
    expect(visit({ utm_source: 'crm', utm_medium: 'e-mail' })).toBe('Email');
    expect(visit({ utm_source: 'weekly', utm_medium: 'newsletter' })).toBe('Email');
    expect(visit({ utm_source: 'community', utm_medium: 'social' })).toBe('Organic Social');
    expect(visit({ utm_source: 'community', utm_medium: 'social-network' })).toBe('Organic Social');
    expect(visit({ utm_source: 'webinar', utm_medium: 'video' })).toBe('Video');
    expect(visit({ utm_source: 'somewhere', utm_medium: 'organic' })).toBe('Organic Search');
    expect(visit({ utm_source: 'partner', utm_medium: 'referral' })).toBe('Referral');
  });

  it('when utm_source disagrees with the Referer, then the tagged source wins', () => {
    expect(visit({ ...from('Gmail', 'mail.google.com'), utm_source: 'facebook' })).toBe('Organic Social');
  });

  it('when tagging names nothing known and there is no referrer, then the channel is Unknown', () => {
    expect(visit({ utm_campaign: 'spring' })).toBe('Unknown');
    expect(visit({ utm_medium: 'qr-code' })).toBe('Unknown');
  });

  it('when the input is malformed, then it still answers', () => {
    expect(
      classifyChannel({ ...none, utm_source: undefined as unknown as string, referrerName: 42 as unknown as string }),
    ).toBe('Direct');
  });
});
