import { describe, expect, it } from 'vitest';
import { ServiceErrorSchema, ServiceResultSchema, extractToken } from './responses';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiJ9.Xx0735yNcGLFfsY514IO1VJQO9RIYcHVqwELNPTRD7s';

describe('extractToken', () => {
  it('accepts a bare token, a JSON string and {access_token}', () => {
    expect(extractToken(JWT)).toBe(JWT);
    expect(extractToken(`${JWT}\n`)).toBe(JWT);
    expect(extractToken(JSON.stringify(JWT))).toBe(JWT);
    expect(extractToken(JSON.stringify({ access_token: JWT, expires_in: 3600 }))).toBe(JWT);
  });

  it('returns null for anything else', () => {
    for (const body of ['', '<html>login</html>', '{"token": 1}', '{broken', 'two words']) {
      expect(extractToken(body), body).toBeNull();
    }
  });
});

describe('ServiceResultSchema', () => {
  it('turns the document result string into a number', () => {
    const parsed = ServiceResultSchema.parse({
      id: '9d7b234a-37c2-4696-adcf-3d75d835a94d',
      service: 'LIVENESS',
      result: '0.8755132',
      userId: 'admin',
      pass: true,
    });
    expect(parsed.result).toBe(0.8755132);
  });

  it('refuses a non-numeric or missing result', () => {
    for (const result of ['abc', '', null, undefined]) {
      expect(ServiceResultSchema.safeParse({ id: 'x', service: 'MATCH', result, pass: true }).success).toBe(false);
    }
  });

  it('reads the document 400 body, code as a string', () => {
    expect(ServiceErrorSchema.parse({ statusCode: 400, code: -3491, error: 'Bad Request', message: 'm' }).code).toBe('-3491');
  });
});

describe('what a service writes that reaches the audit log', () => {
  it('takes ids and codes as the document writes them, and refuses formulas and markup in their place', () => {
    const result = (id: string) => ServiceResultSchema.safeParse({ id, service: 'MATCH', result: '50', pass: true }).success;
    expect(result('7eb4e932-1d55-4bbd-a030-97f911a4d22c')).toBe(true);
    for (const id of ['=HYPERLINK("http://x")', '+cmd|/c calc', '@SUM(A1)', '-1+1', '<b>x</b>', 'a'.repeat(129), '']) expect(result(id), id).toBe(false);
    const code = (c: unknown) => ServiceErrorSchema.safeParse({ code: c, message: 'm' }).success;
    for (const ok of ['FACE_TOO_SMALL', '-3491', -3491, 'MULTIPLE_FACES']) expect(code(ok), String(ok)).toBe(true);
    for (const bad of ['=1+1', '+cmd|', '@SUM(1)', 'A B', '-3491a', 'X'.repeat(65)]) expect(code(bad), bad).toBe(false);
  });
});
