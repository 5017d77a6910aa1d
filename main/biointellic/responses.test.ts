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
