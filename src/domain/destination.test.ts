import { describe, expect, it } from 'vitest';
import { buildTemplate, type DestinationCampaign, type DestinationLink, utmDefaults } from './destination.js';

const link = (fields: Partial<DestinationLink>): DestinationLink => ({
  channel: 'web',
  target: {},
  text: null,
  utm: {},
  variant: null,
  ...fields,
});
const campaign: DestinationCampaign = { slug: 'spring-sale', channels: ['whatsapp'], utm: { source: 'ig' } };

describe('destination (pure: no store, no request)', () => {
  it('takes UTM defaults from the link, then the campaign', () => {
    expect(utmDefaults(link({ variant: 'b' }), campaign)).toEqual({
      source: 'ig',
      medium: 'whatsapp',
      campaign: 'spring-sale',
      term: undefined,
      content: 'b',
    });
    expect(utmDefaults(link({ utm: { source: 'own' } }), null).source).toBe('own');
  });

  it('appends cm_click before the fragment of a web destination, keeping its own UTM values', () => {
    const t = buildTemplate(link({ target: { url: 'https://shop.example/p?utm_source=x#top' } }), campaign);
    expect(t.kind).toBe('redirect');
    expect(t.untracked).toContain('utm_source=x');
    expect(t.url('42')).toBe(`${t.untracked.split('#')[0]}&cm_click=42#top`);
  });

  it('splices the ref token into a chat link, and answers app schemes with a page', () => {
    const wa = buildTemplate(
      link({ channel: 'whatsapp', target: { phone: '+14155550123' }, text: 'Hi' }),
      null,
    );
    expect(wa.kind).toBe('redirect');
    expect(decodeURIComponent(wa.url('7KQ2-M9AB'))).toContain('7KQ2-M9AB');
    expect(decodeURIComponent(wa.untracked)).not.toContain('ref');
    const viber = buildTemplate(link({ channel: 'viber', target: { uri: 'chatmarkbot' } }), null);
    expect(viber.kind).toBe('app-page');
    expect(viber.fallback).toBe('https://www.viber.com/download/');
  });
});
