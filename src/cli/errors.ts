/**
 * Errors a user can fix (bad option, bad input). The CLI prints their message on one line and
 * exits with status 2; anything else is a bug and is reported as an internal error.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Exit status for bad input / usage. */
export const EXIT_USAGE = 2;

/** Exit status when a trajectory diverged (NaN/∞ or blow-up). */
export const EXIT_DIVERGED = 3;
