/**
 * Raised when evaluation cannot run as asked: no sets, a set that does not parse, a document that
 * ingest refuses, a command that cannot be scored. Its message names the file or line at fault.
 */
export class EvalSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalSetupError';
  }
}
