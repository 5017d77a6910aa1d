import type { FastifyReply } from 'fastify';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The document's error body: {statusCode, code, error, message}. */
export function errorBody(statusCode: number, code: string, message: string) {
  return { statusCode, code, error: REASONS[statusCode] ?? 'Error', message };
}

/** Thrown anywhere in a route; the error handler turns it into the document's shape. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const reject = (code: string, message: string) => new ApiError(400, code, message);

export function sendError(reply: FastifyReply, error: ApiError) {
  return reply
    .status(error.statusCode)
    .type('application/json')
    .send(errorBody(error.statusCode, error.code, error.message));
}
