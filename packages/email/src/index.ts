export {
  createMailer,
  createSesMailer,
  createLogMailer,
  buildMime,
  isPermanentSendFailure,
  type Mailer,
  type OutgoingEmail,
} from './mailer.ts';
export {
  renderLayout,
  escapeHtml,
  type EmailContent,
  type LinkParagraph,
  type Paragraph,
  type RenderedEmail,
} from './layout.ts';
export {
  verifyEmailMessage,
  existingAccountMessage,
  resetPasswordMessage,
  changeEmailMessage,
  emailChangedMessage,
  passwordChangedMessage,
  newSignInMessage,
  twoFactorChangedMessage,
} from './messages/account-messages.ts';
export { invitationMessage } from './messages/organization-messages.ts';
export {
  trialEndingMessage,
  quotaMessage,
  overQuotaGraceMessage,
  ingestStopMessage,
} from './messages/billing-messages.ts';
export { reportMessage, type ReportMessageInput } from './messages/report-message.ts';
export { alertMessage } from './messages/alert-message.ts';
