/**
 * One audit record as an RFC 5424 syslog message, framed for RFC 5425 (syslog over TLS) by octet
 * counting. Written here rather than taken from a library: the npm syslog clients frame TCP by
 * newline (RFC 6587's non-transparent framing, which RFC 5425 does not allow) and none speaks TLS
 * with a delivery the kiosk can confirm (syslogForwarder.ts). The format is a few fixed fields.
 */

/** RFC 5424 facility 13, "log audit". */
const LOG_AUDIT = 13;
export const SEVERITY = { warning: 4, notice: 5, info: 6 } as const;

/** RFC 5424's sequenceId runs 1..2147483647 and starts again at 1. */
const MAX_SEQUENCE = 2_147_483_647;

/** What a header field may hold: printable US-ASCII without spaces, at most `max` characters; '-' when empty. */
const headerField = (text: string, max: number) => text.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-';

export interface SyslogRecord {
  /** The queue's sequence number: the collector sees gaps and repeats by it. */
  seq: number;
  /** ISO time of the record itself, not of its sending. */
  time: string;
  /** The station: the machine's host name (a SIEM groups by it). */
  hostname: string;
  /** What kind of record: `check`, `staff-action`, `not-forwarded`. */
  msgid: string;
  severity: keyof typeof SEVERITY;
  /** The record's fields, sent as JSON: never an image, a token or a password. */
  body: Record<string, unknown>;
}

export function syslogMessage(record: SyslogRecord): string {
  const pri = LOG_AUDIT * 8 + SEVERITY[record.severity];
  const sequenceId = ((record.seq - 1) % MAX_SEQUENCE) + 1;
  // MSG is UTF-8 (a station's name may not be ASCII): RFC 5424 marks it with a byte-order mark.
  return `<${pri}>1 ${record.time} ${headerField(record.hostname, 255)} biointellic-kiosk - ${headerField(record.msgid, 32)} [meta sequenceId="${sequenceId}"] \ufeff${JSON.stringify(record.body)}`;
}

/** RFC 5425 §4.3: the message's length in octets, a space, the message. */
export function octetCounted(message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${bytes.byteLength} `, 'ascii'), bytes]);
}
