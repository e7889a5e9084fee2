import { ChatmarkError, ERROR_CATALOGUE, type ErrorCode } from '../domain/errors.js';

/** The HTTP status of a code: the catalogue's (domain/error-codes.ts), which lists every code. */
export function statusOf(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}

/** Shorthands for the errors the HTTP layer raises itself. */
export const httpErrors = {
  unauthorized: (message = 'A valid API key is required: Authorization: Bearer <key>') =>
    new ChatmarkError('unauthorized', message),
  forbidden: (role: string) =>
    new ChatmarkError('forbidden', `This needs a key with the ${role} role or higher`),
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}
