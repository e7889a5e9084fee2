import type { ErrorCode } from './error-codes.js';

export { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode, isErrorCode } from './error-codes.js';

/**
 * The one error type Chatmark code throws for input it refuses. `code` is stable (clients switch
 * on it) and is one of the catalogue's (./error-codes.ts), so a misspelt code does not compile;
 * the catalogue gives its HTTP status and the CLI's exit code. `field` names the input that was
 * wrong.
 *
 * @example throw new ChatmarkError('invalid_phone', 'Not a possible phone number for AR', 'phone');
 */
export class ChatmarkError extends Error {
  override readonly name = 'ChatmarkError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON(): { code: ErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export function isChatmarkError(error: unknown): error is ChatmarkError {
  return error instanceof ChatmarkError;
}
