import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Protocol } from 'electron';
import { appHost, appScheme } from './appIdentity.js';

/** Sent with every renderer file, on top of the page's own meta CSP (security checklist 4). */
export const rendererCsp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
  + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Must run before `ready`: `app://` behaves like https (standard, secure, fetch allowed). */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer (out/renderer) on `app://task-status/`. */
export function setupAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(appScheme, (request) => serveRendererFile(request.url, rendererDir));
}

/**
 * The file a renderer URL names, or `null` when it is not ours or leaves `rendererDir`
 * (`..`, encoded or not, and absolute paths are refused).
 */
export function rendererFileOf(url: string, rendererDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host.toLowerCase() !== appHost) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const root = resolve(rendererDir);
  const file = resolve(join(root, path === '/' || path === '' ? 'index.html' : path));
  const inside = relative(root, file);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? null : file;
}

export async function serveRendererFile(url: string, rendererDir: string): Promise<Response> {
  const file = rendererFileOf(url, rendererDir);
  if (file === null) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': mimeTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-security-policy': rendererCsp,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}
