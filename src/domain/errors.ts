/**
 * The one error type Chatmark code throws for input it refuses. `code` is stable (clients switch
 * on it), `field` names the input that was wrong. HTTP maps codes to statuses in one table; the
 * CLI prints the message and exits 2.
 *
 * @example throw new ChatmarkError('invalid_phone', 'Not a possible phone number for AR', 'phone');
 */
export class ChatmarkError extends Error {
  override readonly name = 'ChatmarkError';

  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON(): { code: string; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export function isChatmarkError(error: unknown): error is ChatmarkError {
  return error instanceof ChatmarkError;
}
