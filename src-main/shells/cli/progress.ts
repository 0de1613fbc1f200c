/**
 * A progress line on stderr for anything slow, only when stderr is a terminal (never mixed into
 * --json output or a pipe). Returns a function that replaces the line, or clears it.
 */
export function progress(message: string): (next?: string) => void {
  const tty = process.stderr.isTTY === true;
  const show = (text: string) => {
    if (tty) process.stderr.write(`\r\x1b[2K${text}…`);
  };
  show(message);
  return (next) => {
    if (!tty) return;
    if (next) show(next);
    else process.stderr.write('\r\x1b[2K');
  };
}
