import { describe, expect, it } from 'vitest';
import { octetCounted, syslogMessage } from './syslogMessage';

const record = {
  seq: 7,
  time: '2026-12-04T10:00:00.123Z',
  hostname: 'desk-2',
  msgid: 'check',
  severity: 'info' as const,
  body: { station: 'Réception 2', decision: 'verified' },
};

describe('an audit record as RFC 5424 syslog', () => {
  it('is facility "log audit" with the record’s time, the station’s host name, its kind and sequence, and the fields as UTF-8 JSON', () => {
    expect(syslogMessage(record)).toBe(
      '<110>1 2026-12-04T10:00:00.123Z desk-2 biointellic-kiosk - check [meta sequenceId="7"] \ufeff{"station":"Réception 2","decision":"verified"}',
    );
    expect(syslogMessage({ ...record, severity: 'warning' }).startsWith('<108>1 ')).toBe(true);
  });

  it('keeps header fields to printable ASCII without spaces, and the sequence inside 1..2147483647', () => {
    const message = syslogMessage({ ...record, hostname: 'front desk é', seq: 2_147_483_648 });
    expect(message).toContain(' front_desk__ biointellic-kiosk ');
    expect(message).toContain('sequenceId="1"');
    expect(syslogMessage({ ...record, hostname: '' })).toContain('Z - biointellic-kiosk');
  });

  it('is framed by its length in octets, not characters (RFC 5425)', () => {
    const message = syslogMessage(record);
    const frame = octetCounted(message);
    const [length, ...rest] = frame.toString('utf8').split(' ');
    expect(Number(length)).toBe(Buffer.byteLength(message));
    expect(Number(length)).toBeGreaterThan(message.length);
    expect(rest.join(' ')).toBe(message);
  });
});
