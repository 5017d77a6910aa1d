import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHANNEL_PREFIX, CONTRACT_NAMES, channelOf, contract, events, VerificationOutcomeSchema } from './contract';
import { ERROR_CODES, KioskError, resultSchema, toErrorData } from './errors';
import { LIVENESS, MATCH, livenessAngleLimitsDeg } from './imageRequirements';
import { BackendSchema, DEFAULT_SETTINGS, SettingsSchema } from './settings';

describe('contract', () => {
  it('gives every entry an input and a result schema, on the kiosk: channel prefix', () => {
    for (const [name, entry] of Object.entries(contract)) {
      expect(entry.input, name).toBeInstanceOf(z.ZodType);
      expect(entry.result, name).toBeInstanceOf(z.ZodType);
      expect(channelOf(name as keyof typeof contract)).toBe(`${CHANNEL_PREFIX}${name}`);
    }
    expect(Object.keys(events)).toContain('verification.progress');
    expect(Object.keys(contract).sort()).toEqual([...CONTRACT_NAMES].sort());
  });

  it('takes station and staff names in any script, and refuses what would start a formula or markup', () => {
    const update = contract['settings.update'].input;
    for (const stationName of ['', 'Front desk 2', "Guichet Gare-de-l'Est", 'مكتب الاستقبال ٢', 'Desk #4 (east) & lobby'])
      expect(update.safeParse({ stationName }).success, stationName).toBe(true);
    for (const stationName of ['=HYPERLINK("http://x","y")', '+cmd|/c calc', '-2+3', '@SUM(A1)', '<img src=x>', 'Desk\tfour', 'x'.repeat(101)])
      expect(update.safeParse({ stationName }).success, stationName).toBe(false);
    expect(update.safeParse({ staffNames: ['Ana Silva', 'José Müller'] }).success).toBe(true);
    expect(update.safeParse({ staffNames: ['Ana Silva', '=1+1'] }).success).toBe(false);
  });

  it('accepts image bytes only as a Uint8Array', () => {
    const input = contract['verification.setIdPhoto'].input;
    expect(input.safeParse(new Uint8Array([1, 2])).success).toBe(true);
    expect(input.safeParse([1, 2]).success).toBe(false);
    expect(input.safeParse('abc').success).toBe(false);
  });

  it('takes a live frame as raw pixels only when its bytes are its width × height × 4, within a 4K frame', () => {
    const input = contract['verification.setLivePhoto'].input;
    const frame = (width: number, height: number, bytes = width * height * 4) => ({ image: { rgba: new Uint8Array(bytes), width, height } });
    expect(input.safeParse(frame(640, 480)).success).toBe(true);
    expect(input.safeParse({ image: new Uint8Array([1, 2]) }).success).toBe(true); // an encoded image, as before
    expect(input.safeParse(frame(640, 480, 640 * 480 * 4 - 1)).success).toBe(false);
    expect(input.safeParse(frame(640, 480, 640 * 480 * 3)).success).toBe(false);
    expect(input.safeParse(frame(0, 0, 0)).success).toBe(false);
    expect(input.safeParse(frame(3840, 2160)).success).toBe(true);
    expect(input.safeParse(frame(3840, 2161)).success).toBe(false);
    expect(input.safeParse({ image: { rgba: [0, 0, 0, 0], width: 1, height: 1 } }).success).toBe(false);
  });

  it('never lets a password or the PIN hash be read back through settings', () => {
    const view = contract['settings.get'].result.parse({
      ...DEFAULT_SETTINGS,
      passwordStored: true,
      provisioned: true,
      provisioningRefused: null,
      staffUnlockedUntil: null,
      password: 'x',
      staffPinHash: 'scrypt$x',
    });
    expect(view).not.toHaveProperty('password');
    expect(view).not.toHaveProperty('staffPinHash');
  });

  it('wraps results in one ok/error envelope and refuses codes outside the closed set', () => {
    const schema = resultSchema(VerificationOutcomeSchema);
    const error = { code: 'timeout', message: 'slow', retriable: true };
    expect(schema.parse({ ok: false, error })).toEqual({ ok: false, error });
    expect(schema.safeParse({ ok: false, error: { ...error, code: 'kaboom' } }).success).toBe(false);
    expect(schema.safeParse({ ok: true, data: { decision: 'maybe' } }).success).toBe(false);
  });
});

describe('errors', () => {
  it('includes every code the foundation promises', () => {
    for (const code of [
      'credentials_missing',
      'credentials_rejected',
      'keychain_unavailable',
      'network_unreachable',
      'timeout',
      'server_error',
      'protocol_error',
      'unauthorized',
      'image_invalid',
      'image_too_small',
      'image_too_large',
      'face_rejected',
      'cancelled',
    ] as const) {
      expect(ERROR_CODES).toContain(code);
    }
  });

  it('keeps the service code of a rejection and hides the text of unknown throwables', () => {
    const rejected = new KioskError('face_rejected', 'too small', { service: { code: 'FACE_TOO_SMALL', message: 'IPD' } });
    expect(toErrorData(rejected)).toEqual({
      code: 'face_rejected',
      message: 'too small',
      retriable: false,
      service: { code: 'FACE_TOO_SMALL', message: 'IPD' },
    });
    expect(toErrorData(new Error('secret detail'))).toEqual({
      code: 'protocol_error',
      message: 'An unexpected internal error occurred.',
      retriable: false,
    });
    expect(new KioskError('timeout', 'x').retriable).toBe(true);
  });
});

describe('settings', () => {
  it('defaults to the local engine with debug off', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ backend: { kind: 'local' }, debug: false, requestTimeoutMs: 30_000 });
  });

  it('refuses a user id with a colon (Basic auth cannot carry it) and a non-URL', () => {
    expect(BackendSchema.safeParse({ kind: 'remote', url: 'https://x.example', userId: 'a:b' }).success).toBe(false);
    expect(BackendSchema.safeParse({ kind: 'remote', url: 'not a url', userId: 'a' }).success).toBe(false);
    expect(SettingsSchema.safeParse({ requestTimeoutMs: 5 }).success).toBe(false);
  });
});

describe('image requirements', () => {
  it('states the API document numbers', () => {
    expect(LIVENESS).toMatchObject({ format: 'png', minHeight: 480, minFaceSizePx: 224, maxYawDeg: 20, maxRollDeg: 30 });
    expect(LIVENESS.interpupillaryDistancePx).toEqual({ target: 90, tolerance: 5 });
    expect(livenessAngleLimitsDeg()).toEqual({ yaw: 23, pitch: 23, roll: 33 });
    expect(MATCH).toMatchObject({ minWidth: 150, maxWidth: 1024, maxBytes: 2_000_000, passThreshold: 48 });
  });
});
