import type { TaskError } from '../../contract/task.js';
import { fromJson, parsePyArgs, pyRepr, pyStr, type PyValue } from './celeryPyText.js';

/**
 * An exception's message as Python prints it (`str(exc)`, the text after `Type: ` in a
 * traceback). Sources, most faithful first:
 * 1. the traceback's last line, when it is this exception's (Python rendered it, custom
 *    `__str__` included); a retry's traceback is the `Retry`'s, not the cause's, so it is skipped;
 * 2. the exception's args (the result backend's `exc_message`, or parsed from the repr the events
 *    carry), rendered by BaseException's rules: no args → '', one → str(arg) (KeyError: repr),
 *    OSError's `[Errno n] text`, several → the tuple's repr.
 */
export function exceptionMessage(e: { type: string | null; module: string | null; args: PyValue[] | null; traceback: string | null }): string | null {
  if (e.type !== null && e.traceback) {
    const fromTrace = tracebackMessage(e.traceback, e.type, e.module);
    if (fromTrace !== null) return fromTrace;
  }
  return e.args === null ? null : argsMessage(e.type, e.module, e.args);
}

/** The backend's `{exc_type, exc_message, exc_module}` (exc_message = the args, as JSON). */
export function backendError(result: Record<string, unknown>, traceback: string | null): TaskError {
  const type = typeof result.exc_type === 'string' ? result.exc_type : null;
  const module = typeof result.exc_module === 'string' ? result.exc_module : null;
  const raw = result.exc_message;
  // Celery < 4 stored a string; since then a list of the args.
  const args = Array.isArray(raw) ? raw.map(fromJson) : typeof raw === 'string' ? [fromJson(raw)] : null;
  return { type, message: exceptionMessage({ type, module, args, traceback }), traceback };
}

/** `ValueError('boom')`, the `safe_repr` that task-failed and task-retried events carry. */
export function reprError(repr: string, traceback: string | null): TaskError {
  const m = /^([\w.]+)\(([\s\S]*)\)$/.exec(repr);
  if (!m) return { type: null, message: repr, traceback };
  const type = m[1]!;
  const args = parsePyArgs(m[2]!);
  return { type, message: exceptionMessage({ type, module: null, args, traceback }) ?? m[2]!, traceback };
}

/**
 * The message of the traceback's final exception when its header names `type`: the last
 * `Traceback (most recent call last):` block, past its indented frames, is `header: message`
 * (message possibly on several lines) or the header alone (an empty message). The header is
 * `module.qualname`, or the bare qualname for builtins; an unknown module accepts any.
 */
export function tracebackMessage(traceback: string, type: string, module: string | null): string | null {
  const lines = traceback.replace(/\n$/, '').split('\n');
  const start = lines.lastIndexOf('Traceback (most recent call last):');
  if (start < 0) return null;
  let at = start + 1;
  while (at < lines.length && lines[at]!.startsWith(' ')) at++;
  if (at >= lines.length) return null;
  const text = lines.slice(at).join('\n');
  const colon = text.indexOf(': ');
  const header = colon < 0 || text.slice(0, colon).includes('\n') ? lines[at]! : text.slice(0, colon);
  const expected = module === null ? null : module === 'builtins' || module === '__main__' ? type : `${module}.${type}`;
  const matches = expected !== null ? header === expected : header === type || header.endsWith(`.${type}`);
  if (!matches) return null;
  return header === text ? '' : text.slice(header.length + 2);
}

const osErrors = new Set([
  'OSError', 'IOError', 'EnvironmentError', 'BlockingIOError', 'ChildProcessError', 'ConnectionError', 'BrokenPipeError',
  'ConnectionAbortedError', 'ConnectionRefusedError', 'ConnectionResetError', 'FileExistsError', 'FileNotFoundError',
  'InterruptedError', 'IsADirectoryError', 'NotADirectoryError', 'PermissionError', 'ProcessLookupError', 'TimeoutError',
]);

function argsMessage(type: string | null, module: string | null, args: PyValue[]): string {
  const builtin = module === null || module === 'builtins';
  if (args.length === 0) return '';
  if (builtin && type !== null && osErrors.has(type) && args.length >= 2 && args.length <= 5 && args[0]!.kind === 'atom' && /^-?\d+$/.test(args[0]!.text)) {
    const base = `[Errno ${args[0]!.text}] ${pyStr(args[1]!)}`;
    const given = (v: PyValue | undefined) => v !== undefined && !(v.kind === 'atom' && v.text === 'None');
    if (!given(args[2])) return base;
    return given(args[4]) ? `${base}: ${pyRepr(args[2]!)} -> ${pyRepr(args[4]!)}` : `${base}: ${pyRepr(args[2]!)}`;
  }
  if (args.length === 1) return builtin && type === 'KeyError' ? pyRepr(args[0]!) : pyStr(args[0]!);
  return pyRepr({ kind: 'tuple', items: args });
}
