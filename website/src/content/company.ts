/**
 * Who operates the hosted service. The legal pages (imprint, privacy policy, terms, DPA) read these
 * through `{{placeholders}}`, so an operator changes them here once. The values are the operator's
 * placeholders until the company's real register entry is filled in.
 */
export const company = {
  companyName: 'Spur Analytics GmbH',
  companyAddress: 'Musterstraße 1, 10115 Berlin, Germany',
  managingDirector: 'Alex Beispiel',
  register: 'Amtsgericht Berlin-Charlottenburg, HRB 000000',
  vatId: 'DE000000000',
  contactEmail: 'hello@spur.example',
  privacyEmail: 'privacy@spur.example',
  supportEmail: 'support@spur.example',
} as const;

export type Company = typeof company;
