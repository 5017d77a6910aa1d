import { describe, expect, it } from 'vitest';
import { endpointUrl, parseServiceUrl } from './serviceUrl';

describe('parseServiceUrl', () => {
  it('accepts https anywhere and http only on loopback', () => {
    expect(parseServiceUrl('https://bio.example.com').href).toBe('https://bio.example.com/');
    expect(parseServiceUrl('http://127.0.0.1:8787').host).toBe('127.0.0.1:8787');
    expect(parseServiceUrl('http://localhost:1/').hostname).toBe('localhost');
    expect(parseServiceUrl('http://[::1]:8787').hostname).toBe('[::1]');
    for (const url of ['http://bio.example.com', 'http://10.0.0.5', 'http://127.evil.com', 'ftp://127.0.0.1', 'nonsense']) {
      expect(() => parseServiceUrl(url), url).toThrowError(expect.objectContaining({ code: 'settings_invalid' }));
    }
  });

  it('refuses credentials inside the URL', () => {
    expect(() => parseServiceUrl('https://admin:pw@bio.example.com')).toThrowError(/user id in the settings/);
  });

  it('keeps a path prefix and builds the debug query exactly', () => {
    const base = parseServiceUrl('https://host.example/biointellic?x=1');
    expect(endpointUrl(base, 'liveness', false).href).toBe('https://host.example/biointellic/api/liveness?debug=false');
    expect(endpointUrl(base, 'match', true).href).toBe('https://host.example/biointellic/api/match?debug=true');
    expect(endpointUrl(base, 'authenticate').href).toBe('https://host.example/biointellic/api/authenticate');
  });
});
