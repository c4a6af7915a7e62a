/**
 * Progress on stderr for long work: one line rewritten in place, shown only once the work has
 * taken longer than `delayMs` (about a second; EOM_PROGRESS_DELAY_MS overrides it, a whole number of
 * milliseconds) and only when stderr is a terminal (so pipes, files and CI logs stay clean) unless
 * EOM_PROGRESS=1 forces it. Forced onto a pipe or a log, each new message is a plain line of its own
 * (no carriage returns or terminal escapes; a repeated message is not written again). `enabled:
 * false` silences it (JSON/CSV).
 */
import { UserError } from './errors.js';

export class Progress {
  private active = false;
  /** Whether lines are shown at all (stderr a terminal, or EOM_PROGRESS=1). */
  readonly enabled: boolean;
  private readonly started = Date.now();

  constructor(
    options: { enabled?: boolean; delayMs?: number } = {},
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = (options.enabled ?? true) && (Boolean(stream.isTTY) || process.env['EOM_PROGRESS'] === '1');
    this.delayMs = options.delayMs ?? delayFromEnvironment() ?? 1000;
  }

  private readonly delayMs: number;

  private lastLine: string | undefined;

  update(message: string): void {
    if (!this.enabled || Date.now() - this.started < this.delayMs) return;
    if (!this.stream.isTTY) {
      if (message !== this.lastLine) this.stream.write(`${message}\n`);
      this.lastLine = message;
      return;
    }
    this.stream.write(`\r\x1b[2K${message}`);
    this.active = true;
  }

  done(): void {
    if (this.active) this.stream.write('\r\x1b[2K');
    this.active = false;
  }
}

/** EOM_PROGRESS_DELAY_MS when it is a whole number of milliseconds; anything else is ignored. */
function delayFromEnvironment(): number | undefined {
  const raw = process.env['EOM_PROGRESS_DELAY_MS'];
  return raw !== undefined && /^\d{1,7}$/.test(raw) ? Number(raw) : undefined;
}

/**
 * Run a report's computation with a progress line (`report: <label>…`), cleared after; a RangeError
 * of the computation (bad settings the library refuses) is a one-line UserError.
 *
 * @example
 *   const data = reportWithProgress((update) => sgdReportData(p, { …, onProgress: update }));
 */
export function reportWithProgress<T>(run: (update: (label: string) => void) => T): T {
  const progress = new Progress();
  try {
    return run((label) => progress.update(`report: ${label}…`));
  } catch (e) {
    if (e instanceof RangeError) throw new UserError(e.message);
    throw e;
  } finally {
    progress.done();
  }
}
