/**
 * A progress line on stderr for anything slow, only when stderr is a terminal (never mixed into
 * --json output or a pipe), and only once the work has taken longer than `delayMs`, so a fast
 * command does not flash it. Returns a function that replaces the line, or clears it.
 */
export function progress(message: string, delayMs = 300): (next?: string) => void {
  const tty = process.stderr.isTTY === true;
  let current = message;
  let shown = false;
  const show = () => {
    shown = true;
    process.stderr.write(`\r\x1b[2K${current}…`);
  };
  const timer = tty ? setTimeout(show, delayMs) : null;
  timer?.unref();
  return (next) => {
    if (!tty) return;
    if (next) {
      current = next;
      if (shown) show();
      return;
    }
    if (timer) clearTimeout(timer);
    if (shown) process.stderr.write('\r\x1b[2K');
  };
}
