/**
 * Progress on stderr for long work: one line rewritten in place, only when stderr is a terminal
 * (so pipes, files and CI logs stay clean) unless EOM_PROGRESS=1 forces it.
 */
export class Progress {
  private active = false;
  private readonly enabled: boolean;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.stream = stream;
    this.enabled = Boolean(stream.isTTY) || process.env['EOM_PROGRESS'] === '1';
  }

  private readonly stream: NodeJS.WriteStream;

  update(message: string): void {
    if (!this.enabled) return;
    this.stream.write(`\r\x1b[2K${message}`);
    this.active = true;
  }

  done(): void {
    if (this.active) this.stream.write('\r\x1b[2K');
    this.active = false;
  }
}
