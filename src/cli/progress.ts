/**
 * Progress on stderr for long work: one line rewritten in place, shown only once the work has
 * taken longer than `delayMs` (about a second) and only when stderr is a terminal (so pipes, files
 * and CI logs stay clean) unless EOM_PROGRESS=1 forces it. `enabled: false` silences it (JSON/CSV).
 */
export class Progress {
  private active = false;
  private readonly enabled: boolean;
  private readonly started = Date.now();

  constructor(
    options: { enabled?: boolean; delayMs?: number } = {},
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = (options.enabled ?? true) && (Boolean(stream.isTTY) || process.env['EOM_PROGRESS'] === '1');
    this.delayMs = options.delayMs ?? 1000;
  }

  private readonly delayMs: number;

  update(message: string): void {
    if (!this.enabled || Date.now() - this.started < this.delayMs) return;
    this.stream.write(`\r\x1b[2K${message}`);
    this.active = true;
  }

  done(): void {
    if (this.active) this.stream.write('\r\x1b[2K');
    this.active = false;
  }
}
