import { KioskError } from '../../app/errors';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Parses the service base URL and refuses plain http except on loopback: biometric images and
 * credentials never travel in clear text. A path prefix (https://host/biointellic) is kept.
 */
export function parseServiceUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KioskError('settings_invalid', `"${raw}" is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new KioskError('settings_invalid', `Refusing ${url.protocol}//${url.host}: use https:// (plain http is allowed only on this computer, 127.0.0.1).`);
  }
  if (url.username || url.password) {
    throw new KioskError('settings_invalid', 'Put the user id in the settings, not in the URL.');
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** `{base}/api/{name}?debug=true|false`: the document stores images only for exactly "true". */
export function endpointUrl(base: URL, name: 'authenticate' | 'liveness' | 'match', debug?: boolean): URL {
  const url = new URL(`api/${name}`, base);
  if (debug !== undefined) url.searchParams.set('debug', debug ? 'true' : 'false');
  return url;
}
