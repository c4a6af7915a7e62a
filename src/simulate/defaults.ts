/** Defaults shared by the library and the CLI (a module with no heavy imports, so `--help` stays fast). */

/** The learning-rate ladder of `validate` when none is given. */
export const DEFAULT_LRS: readonly number[] = [0.2, 0.1, 0.05, 0.025];
