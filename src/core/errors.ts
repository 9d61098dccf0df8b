/**
 * Errors with a message that is safe and useful to show the user as it is. Anything else that
 * escapes a command is logged and answered with a short generic message.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
