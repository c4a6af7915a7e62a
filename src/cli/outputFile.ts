/**
 * Output files of the CLI (--out, --plot): the target checked before any work, then written
 * atomically so that no partial file is ever left behind.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants as fsConstants, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from './errors.js';

/**
 * The absolute path of --out, refused early (before any work) if its folder is missing or it is a folder.
 *
 * @example
 *   checkedTarget('report.html') // '/current/dir/report.html'
 *   checkedTarget('nowhere/report.html') // throws UserError: --out nowhere/report.html: the folder … does not exist
 */
export function checkedTarget(out: string, option = '--out'): string {
  if (out.trim() === '') throw new UserError(`${option} needs a file name, e.g. ${option} report.html`);
  const target = resolve(out);
  const dir = dirname(target);
  const kind = fileKind(dir, option);
  if (kind === 'missing') throw new UserError(`${option} ${out}: the folder ${dir} does not exist`);
  if (kind !== 'dir') throw new UserError(`${option} ${out}: ${dir} is not a folder`);
  try {
    accessSync(dir, fsConstants.W_OK);
  } catch {
    throw new UserError(`${option} ${out}: the folder ${dir} is not writable`);
  }
  if (fileKind(target, option) === 'dir') throw new UserError(`${option} ${out} is a folder; give a file name, e.g. ${join(out, 'report.html')}`);
  return target;
}

/**
 * Write to a temporary file beside the target, then rename it over the target: readers see the
 * old file or the whole new one, never a part. On any failure the temporary file is removed and
 * the error is a one-line UserError.
 *
 * @example
 *   writeAtomically('/tmp/report.html', '<!DOCTYPE html>…')
 */
export function writeAtomically(target: string, content: string, option = '--out'): void {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
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
