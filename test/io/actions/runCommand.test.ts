import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outputLimit, runCommand } from '../../../src-main/io/actions/runCommand.js';

const dir = mkdtempSync(join(tmpdir(), 'task-status-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Running, or stopped; a zombie waiting for a reaper (PID 1 in a container may be slow) is dead. */
function isAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
}

describe('runCommand', () => {
  it('runs an argv without a shell, with the given environment, and captures stdout and stderr', async () => {
    const result = await runCommand({ command: ['/bin/sh', '-c', 'echo "out $X"; echo "err $X" >&2'], env: { X: 'a b; $(rm -rf /)' }, timeoutMs: 10_000 });
    expect(result).toMatchObject({ outcome: 'ok', detail: 'exit code 0', exitCode: 0, output: 'out a b; $(rm -rf /)\n\nerr a b; $(rm -rf /)\n' });
  });

  it('a string runs through the shell', async () => {
    const result = await runCommand({ command: 'echo one && echo two', env: {}, timeoutMs: 10_000 });
    expect(result.output).toBe('one\ntwo\n');
  });

  it('a non-zero exit is a failure with its code; a missing program says why', async () => {
    expect(await runCommand({ command: ['/bin/sh', '-c', 'exit 3'], env: {}, timeoutMs: 10_000 })).toMatchObject({ outcome: 'failed', detail: 'exit code 3', exitCode: 3 });
    expect(await runCommand({ command: [join(dir, 'no-such-hook')], env: {}, timeoutMs: 10_000 })).toMatchObject({ outcome: 'failed', detail: 'could not start: ENOENT' });
  });

  it('on timeout kills the whole process group, the shell and the child it forked', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const hook = join(dir, 'slow.sh');
    writeFileSync(hook, `#!/bin/sh\nsleep 300 &\necho $! > ${pidFile}\nwait\n`);
    chmodSync(hook, 0o755);
    const result = await runCommand({ command: [hook], env: {}, timeoutMs: 500, killGraceMs: 500 });
    expect(result).toMatchObject({ outcome: 'timeout', detail: 'killed after 500 ms' });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    // The group got SIGTERM; reaping may lag by a moment.
    for (let i = 0; i < 50 && isAlive(grandchild); i++) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(grandchild)).toBe(false);
  });

  it('a hook that ignores SIGTERM is killed after the grace', async () => {
    const result = await runCommand({ command: ['/bin/sh', '-c', 'trap "" TERM; sleep 300 & wait; wait'], env: {}, timeoutMs: 300, killGraceMs: 300 });
    expect(result.outcome).toBe('timeout');
  });

  it('output beyond the limit is cut and says so', async () => {
    const result = await runCommand({ command: ['/bin/sh', '-c', `head -c ${outputLimit + 100} /dev/zero | tr '\\0' x`], env: {}, timeoutMs: 10_000 });
    expect(result.output).toBe(`${'x'.repeat(outputLimit)}\n[stdout cut]`);
  });
});
