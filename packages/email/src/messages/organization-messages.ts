import { renderLayout, type RenderedEmail } from '../layout.ts';

export function invitationMessage(input: {
  organizationName: string;
  invitedBy: string;
  role: string;
  acceptUrl: string;
  expiresInDays: number;
}): RenderedEmail {
  return renderLayout(`You are invited to ${input.organizationName} on Spur`, {
    heading: `Join ${input.organizationName} on Spur`,
    preheader: `${input.invitedBy} invited you as ${input.role}.`,
    paragraphs: [
      `${input.invitedBy} invited you to the organization ${input.organizationName} on Spur as ${input.role}.`,
      'Accept the invitation to see its websites and statistics. You can sign up with this email address if you have no account yet.',
    ],
    action: { label: 'Accept invitation', url: input.acceptUrl },
    note: `The invitation expires in ${input.expiresInDays} days.`,
  });
}
