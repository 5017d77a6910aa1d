/**
 * A Biointellic-compatible server for tests: real HTTP on 127.0.0.1, the document's paths,
 * headers, multipart fields and response shapes, with faults injected on demand. It checks every
 * request against the API document and records what it received, so tests can assert on the
 * wire, not on our own client's idea of it.
 */
import Busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SignJWT, jwtVerify } from 'jose';

export type Fault =
  | { kind: 'status'; status: number; body?: string; retryAfter?: string }
  | { kind: 'reject'; code: string; message: string }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'malformed' }
  | { kind: 'unauthorized' }
  /** Answers normally, then invalidates every token: the next call meets an expired token. */
  | { kind: 'expireTokensAfter' };

export type Endpoint = 'authenticate' | 'liveness' | 'match';

export interface ReceivedPart {
  field: string;
  filename: string | undefined;
  contentType: string;
  bytes: number;
  /** What the bytes really are, judged by their signature. */
  sniffed: 'png' | 'jpeg' | 'other';
}

export interface ReceivedRequest {
  endpoint: Endpoint | 'other';
  method: string;
  query: Record<string, string>;
  authorization: string | undefined;
  parts: ReceivedPart[];
  /** Ways the request departs from the API document; a conforming client leaves this empty. */
  violations: string[];
  status: number;
}

export interface TestServerOptions {
  users?: Record<string, string>;
  tokenLifetimeSeconds?: number;
  tokenFormat?: 'bare' | 'json-string' | 'object';
  livenessResult?: { result: string; pass: boolean };
  matchResult?: { result: string; pass: boolean };
  /** The service's clock in ms (tokens' iat/exp and their check); tests share one with the client and step it. */
  now?: () => number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

function sniff(head: Buffer): ReceivedPart['sniffed'] {
  if (PNG_SIGNATURE.every((b, i) => head[i] === b)) return 'png';
  if (head[0] === 0xff && head[1] === 0xd8) return 'jpeg';
  return 'other';
}

export async function startTestServer(options: TestServerOptions = {}) {
  const users = options.users ?? { admin: 'hunter2' };
  const now = options.now ?? Date.now;
  const seconds = () => Math.floor(now() / 1000);
  let secret = new TextEncoder().encode(randomUUID());
  const faults = new Map<Endpoint, Fault[]>();
  const received: ReceivedRequest[] = [];
  const issuedTokens: string[] = [];
  const sockets = new Set<Socket>();
  const state = {
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    tokenFormat: options.tokenFormat ?? 'bare',
    livenessResult: options.livenessResult ?? { result: '0.8755132', pass: true },
    matchResult: options.matchResult ?? { result: '67.68598175048828', pass: true },
  };

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const sendError = (res: ServerResponse, status: number, code: string, message: string) =>
    sendJson(res, status, { statusCode: status, code, error: status === 401 ? 'Unauthorized' : 'Bad Request', message });

  /** Applies the next queued fault, if any; returns true when it answered (or will never answer). */
  function applyFault(endpoint: Endpoint, req: IncomingMessage, res: ServerResponse, record: ReceivedRequest) {
    const fault = faults.get(endpoint)?.shift();
    if (!fault) return false;
    switch (fault.kind) {
      case 'status':
        record.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'text/plain', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
        res.end(fault.body ?? 'Internal Server Error');
        return true;
      case 'reject':
        record.status = 400;
        sendError(res, 400, fault.code, fault.message);
        return true;
      case 'hang':
        record.status = 0;
        return true;
      case 'reset':
        record.status = 0;
        req.socket.resetAndDestroy();
        return true;
      case 'malformed':
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "x", "service": "LIVE');
        return true;
      case 'unauthorized':
        record.status = 401;
        sendError(res, 401, 'UNAUTHORIZED', 'Invalid or expired token');
        return true;
      case 'expireTokensAfter':
        res.on('finish', () => (secret = new TextEncoder().encode(randomUUID())));
        return false;
    }
  }

  async function authenticate(req: IncomingMessage, res: ServerResponse, record: ReceivedRequest) {
    const header = req.headers.authorization ?? '';
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const [userId, password] = colon < 0 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    if (!match) record.violations.push('authenticate without "Authorization: Basic base64(userId:password)"');
    if (!userId || users[userId] !== password) {
      record.status = 401;
      sendError(res, 401, 'UNAUTHORIZED', 'Invalid credentials');
      return;
    }
    const token = await new SignJWT({ sub: userId, role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(seconds())
      .setExpirationTime(seconds() + state.tokenLifetimeSeconds)
      .sign(secret);
    issuedTokens.push(token);
    record.status = 200;
    if (state.tokenFormat === 'object') return sendJson(res, 200, { access_token: token });
    res.writeHead(200, { 'content-type': state.tokenFormat === 'bare' ? 'text/plain' : 'application/json' });
    res.end(state.tokenFormat === 'bare' ? token : JSON.stringify(token));
  }

  async function bearerUser(req: IncomingMessage): Promise<string | null> {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!match) return null;
    try {
      const { payload } = await jwtVerify(match[1]!, secret, { algorithms: ['HS256'], currentDate: new Date(now()) });
      return typeof payload.sub === 'string' ? payload.sub : null;
    } catch {
      return null;
    }
  }

  function readParts(req: IncomingMessage, record: ReceivedRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      let parser: Busboy.Busboy;
      try {
        parser = Busboy({ headers: req.headers, limits: { fileSize: 20 * 1024 * 1024, files: 4, fields: 10 } });
      } catch {
        record.violations.push(`body is not multipart/form-data (${req.headers['content-type'] ?? 'no content-type'})`);
        req.resume();
        req.on('end', resolve);
        return;
      }
      parser.on('file', (field, stream, info) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const bytes = Buffer.concat(chunks);
          record.parts.push({
            field,
            filename: info.filename,
            contentType: info.mimeType,
            bytes: bytes.byteLength,
            sniffed: sniff(bytes.subarray(0, 4)),
          });
        });
      });
      parser.on('field', (name) => record.violations.push(`unexpected non-file field "${name}"`));
      parser.on('close', resolve);
      parser.on('error', reject);
      req.pipe(parser);
    });
  }

  function checkConformance(endpoint: 'liveness' | 'match', record: ReceivedRequest) {
    const v = record.violations;
    if (record.query.debug !== 'true' && record.query.debug !== 'false') {
      v.push(`debug query is ${JSON.stringify(record.query.debug)}, not "true" or "false"`);
    }
    const expected = endpoint === 'liveness' ? ['data'] : ['image1', 'image2'];
    const fields = record.parts.map((p) => p.field).sort();
    if (JSON.stringify(fields) !== JSON.stringify(expected)) v.push(`file fields ${JSON.stringify(fields)}, expected ${JSON.stringify(expected)}`);
    for (const part of record.parts) {
      if (!part.filename) v.push(`field ${part.field} has no filename`);
      const declared = part.contentType === 'image/png' ? 'png' : part.contentType === 'image/jpeg' ? 'jpeg' : 'other';
      if (declared !== part.sniffed) v.push(`field ${part.field} declared ${part.contentType} but holds ${part.sniffed}`);
      if (endpoint === 'liveness' && part.sniffed !== 'png') v.push('liveness image is not a PNG');
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const name = url.pathname.replace(/^\/api\//, '');
    const endpoint: Endpoint | 'other' = name === 'authenticate' || name === 'liveness' || name === 'match' ? name : 'other';
    const record: ReceivedRequest = {
      endpoint,
      method: req.method ?? '',
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      parts: [],
      violations: [],
      status: 0,
    };
    received.push(record);
    void (async () => {
      if (endpoint === 'other' || req.method !== 'POST') {
        record.status = 404;
        return sendError(res, 404, 'NOT_FOUND', `Cannot ${req.method} ${url.pathname}`);
      }
      if (endpoint === 'authenticate') {
        if (applyFault(endpoint, req, res, record)) return;
        return authenticate(req, res, record);
      }
      await readParts(req, record);
      if (applyFault(endpoint, req, res, record)) return;
      const userId = await bearerUser(req);
      if (!userId) {
        record.status = 401;
        return sendError(res, 401, 'UNAUTHORIZED', 'Invalid or expired token');
      }
      checkConformance(endpoint, record);
      if (record.violations.length > 0) {
        record.status = 400;
        return sendError(res, 400, 'CONFORMANCE', record.violations.join('; '));
      }
      const outcome = endpoint === 'liveness' ? state.livenessResult : state.matchResult;
      record.status = 200;
      sendJson(res, 200, { id: randomUUID(), service: endpoint.toUpperCase(), ...outcome, userId });
    })().catch((error: unknown) => {
      record.status = 500;
      if (!res.headersSent) sendError(res, 500, 'TEST_SERVER', String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    issuedTokens,
    state,
    /** Queue faults for the next requests to an endpoint, in order. */
    fault(endpoint: Endpoint, ...queued: Fault[]) {
      faults.set(endpoint, [...(faults.get(endpoint) ?? []), ...queued]);
    },
    /** Every token issued so far stops working, as after a key rotation on the service. */
    revokeTokens() {
      secret = new TextEncoder().encode(randomUUID());
    },
    count(endpoint: Endpoint) {
      return received.filter((r) => r.endpoint === endpoint).length;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
