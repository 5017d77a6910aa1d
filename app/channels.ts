/**
 * The contract's names without its schemas, so the preload bundle stays tiny (no zod).
 * contract.ts must define exactly these entries (enforced by `satisfies` there).
 */
export const CHANNEL_PREFIX = 'kiosk:';

export const CONTRACT_NAMES = [
  'settings.get',
  'settings.update',
  'credentials.setPassword',
  'connection.test',
  'staff.unlock',
  'staff.lock',
  'staff.identify',
  'staff.active',
  'staff.setPin',
  'staff.quitKiosk',
  'audit.list',
  'audit.exportCsv',
  'audit.staffActions',
  'audit.exportStaffCsv',
  'verification.consent',
  'verification.setIdPhoto',
  'verification.setIdDocument',
  'verification.documentRead',
  'verification.setDocumentExpiry',
  'document.find',
  'verification.setLivePhoto',
  'verification.run',
  'verification.reset',
  'review.get',
  'review.decide',
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export const EVENT_NAMES = ['verification.progress'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export const channelOf = (name: ContractName | EventName): string => `${CHANNEL_PREFIX}${name}`;
