/**
 * Splits the password out of a connection URL (`redis://user:secret@host/0`), so that the
 * tray app never saves it in clear: the URL is kept without it, the password is sealed apart.
 */
export function splitUrlPassword(url: string): { url: string; password: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, password: null };
  }
  if (parsed.password === '') return { url, password: null };
  let password: string;
  try {
    password = decodeURIComponent(parsed.password);
  } catch {
    password = parsed.password;
  }
  parsed.password = '';
  return { url: parsed.toString(), password };
}
