import type { ApiError } from '../../contract/errors.js';

/**
 * Maps what ioredis and the socket say to an error code and a plain detail that names the
 * target, never the password.
 */
export function classifyRedisError(error: unknown, where: string): ApiError {
  const err = error as { message?: string; code?: string } | null;
  const message = String(err?.message ?? error);
  const code = err?.code ?? '';
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) {
    return { code: 'AUTH_FAILED', detail: `${where} refused the username or password` };
  }
  if (/NOAUTH/i.test(message)) {
    return { code: 'AUTH_FAILED', detail: `${where} requires a password and none was given` };
  }
  if (/NOPERM/i.test(message)) {
    // Redis 7: "…no permissions to run the 'info' command"; Redis 6: "…run the 'client|list' command" or "command 'x'".
    const command = /'([a-z_|-]+)' command/i.exec(message)?.[1] ?? /command '([a-z_|-]+)'/i.exec(message)?.[1];
    return { code: 'PERMISSION_DENIED', detail: `${where}: the user may not run ${command ? command.toUpperCase() : 'a command'} (${message})` };
  }
  if (code === 'ECONNREFUSED') return { code: 'TARGET_UNREACHABLE', detail: `${where} refused the connection (is Redis running there?)` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { code: 'TARGET_UNREACHABLE', detail: `${where}: host not found` };
  if (/Unknown RESP type|Protocol error/i.test(message)) {
    return { code: 'TARGET_UNREACHABLE', detail: `${where} answered, but not as a Redis server does (is it the Redis port?)` };
  }
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) return { code: 'TIMEOUT', detail: `${where} did not answer in time` };
  if (code === 'ECONNRESET' || code === 'EPIPE' || /Connection is closed|Stream isn't writeable|enableOfflineQueue/i.test(message)) {
    return { code: 'TARGET_UNREACHABLE', detail: `${where} closed the connection` };
  }
  if (/wrong version number|EPROTO|ssl3_get_record|packet length too long/i.test(message)) {
    return { code: 'TLS_REQUIRED', detail: `${where}: TLS mismatch (use rediss:// for a TLS server, redis:// otherwise): ${message}` };
  }
  if (/self[- ]signed|unable to verify|certificate/i.test(message)) {
    return { code: 'TLS_REQUIRED', detail: `${where}: the server certificate was not trusted (${message}); give a CA file or insecure mode` };
  }
  return { code: 'INTERNAL', detail: `${where}: ${message}` };
}
