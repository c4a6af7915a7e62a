/**
 * Output files of the CLI (--out, --plot): the target checked before any work, then written
 * atomically so that no partial file is ever left behind. Written like a careful tool:
 *
 * - only regular files are written: a device, a FIFO, a socket or a folder at the target is refused;
 * - a symlink is written through: its target file is replaced (and stderr says so); a symlink to
 *   nothing, or a loop, is refused;
 * - a replaced file keeps its mode, and its owner and group where the process may set them (root);
 * - a read-only file (no owner write bit, or not writable by this process) is refused unless
 *   `--force`; the check reads the mode bits, so it holds for root too, who may write anything.
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants as fsConstants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from './errors.js';

/** The help line of `--force`, the same for every command that writes a file. */
export const FORCE_HELP = 'replace a read-only output file (its mode is kept)';

export interface TargetOptions {
  /** Replace a read-only file (its mode is kept). */
  readonly force?: boolean;
  /** Where the note about a symlink goes (default: stderr). */
  readonly note?: (line: string) => void;
}

/**
 * The absolute path to write for --out, refused early (before any work) if its folder is missing,
 * or it is not a regular file, or it is read-only without `force`. A symlink gives its target's path.
 *
 * @example
 *   checkedTarget('report.html') // '/current/dir/report.html'
 *   checkedTarget('nowhere/report.html') // throws UserError: --out nowhere/report.html: the folder … does not exist
 *   checkedTarget('/dev/null') // throws UserError: --out /dev/null is a character device, not a regular file
 */
export function checkedTarget(out: string, option = '--out', options: TargetOptions = {}): string {
  if (out.trim() === '') throw new UserError(`${option} needs a file name, e.g. ${option} report.html`);
  // "-" means stdout to many tools; here it would be a file named "-".
  if (out === '-') throw new UserError(`${option} - is not a file name: eom writes ${option} to a file (eom export writes to stdout when --out is left out)`);
  const given = resolve(out);
  const target = throughSymlink(given, `${option} ${out}`);
  if (target !== given) (options.note ?? ((l) => process.stderr.write(`${l}\n`)))(`eom: ${option} ${out} is a symlink: writing to its target ${target}`);
  const dir = dirname(target);
  const kind = fileKind(dir, option);
  if (kind === 'missing') throw new UserError(`${option} ${out}: the folder ${dir} does not exist`);
  if (kind !== 'dir') throw new UserError(`${option} ${out}: ${dir} is not a folder`);
  try {
    accessSync(dir, fsConstants.W_OK);
  } catch {
    throw new UserError(`${option} ${out}: the folder ${dir} is not writable`);
  }
  const st = statOrMissing(target, option);
  if (st?.isDirectory()) throw new UserError(`${option} ${out} is a folder; give a file name, e.g. ${join(out, 'report.html')}`);
  if (st && !st.isFile()) throw new UserError(`${option} ${out} is ${describe(st)}, not a regular file; eom writes regular files only`);
  if (st && !options.force && readOnly(target, st)) throw new UserError(`${option} ${out} is read-only (mode ${modeText(st)}); add --force to replace it`);
  return target;
}

/**
 * Write to a temporary file beside the target, then rename it over the target: readers see the
 * old file or the whole new one, never a part. A replaced file's mode (and owner, where allowed)
 * carries over; a symlink is written through. On any failure the temporary file is removed and
 * the error is a one-line UserError.
 *
 * @example
 *   writeAtomically('/tmp/report.html', '<!DOCTYPE html>…')
 */
export function writeAtomically(target: string, content: string, option = '--out'): void {
  const real = throughSymlink(resolve(target), `${option} ${target}`);
  const old = statOrMissing(real, option);
  // A folder is left to rename(), which refuses to replace it (EISDIR) after the content is written.
  if (old && !old.isFile() && !old.isDirectory()) throw new UserError(`${option} ${target} is ${describe(old)}, not a regular file; eom writes regular files only`);
  const tmp = join(dirname(real), `.${basename(real)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    if (old) {
      try {
        fchownSync(fd, old.uid, old.gid); // allowed for root (and for a group the owner is in)
      } catch {
        // not allowed: the file becomes ours, as any editor's save would make it
      }
      fchmodSync(fd, old.mode & 0o777); // after chown, which may clear set-id bits
    }
    writeSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, real);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already gone
    }
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${option} ${target}: cannot write (${err.code ?? err.message})`);
  }
}

/** The file a path names: the path itself, or the final target of a symlink (which must exist). */
function throughSymlink(path: string, what: string): string {
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch {
    return path; // missing (or unreadable): the folder checks say what is wrong
  }
  if (!link.isSymbolicLink()) return path;
  try {
    return realpathSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${what} is a symlink to ${code === 'ELOOP' ? 'itself (a loop)' : 'a file that does not exist'}; give the file itself`);
  }
}

/** No write bit for the owner, or not writable by this process (root passes access(), not the bits). */
function readOnly(path: string, st: Stats): boolean {
  if ((st.mode & 0o200) === 0) return true;
  try {
    accessSync(path, fsConstants.W_OK);
    return false;
  } catch {
    return true;
  }
}

function describe(st: Stats): string {
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const modeText = (st: Stats) => (st.mode & 0o777).toString(8).padStart(3, '0');

function statOrMissing(path: string, option: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UserError(`${option} ${path}: cannot be checked (${code})`);
  }
}

function fileKind(path: string, option: string): 'missing' | 'dir' | 'file' | 'other' {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'other'; // a parent is a file
    throw new UserError(`${option} ${path}: cannot be checked (${code})`);
  }
}

/**
 * Write a report atomically and say where it is (its size, and a file: URL to open).
 *
 * @example
 *   writeReport('/tmp/report.html', html, (s) => process.stdout.write(s)) // "wrote /tmp/report.html (552 kB)\nopen it in a browser: file:///tmp/report.html\n"
 */
export function writeReport(target: string, html: string, write: (s: string) => void): void {
  writeAtomically(target, html);
  write(`wrote ${target} (${Math.round(Buffer.byteLength(html) / 1024)} kB)\nopen it in a browser: ${pathToFileURL(target).href}\n`);
}
