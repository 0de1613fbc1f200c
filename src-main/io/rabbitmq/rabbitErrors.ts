import type { ApiError } from '../../contract/errors.js';

/**
 * Maps what the management API answers to an error code and a plain detail that names the
 * endpoint and the user, never the password. RabbitMQ answers 401 both for a wrong password
 * ("Login failed") and for a user whose tags or vhost permissions do not allow the endpoint
 * ("Not management user", "Not monitor user", "User not authorised to access virtual host"):
 * the reason tells them apart.
 */
export function classifyHttpStatus(status: number, body: string, where: string, endpoint: string, user: string, notFound?: string): ApiError {
  const reason = reasonOf(body);
  if (status === 401 && /login failed/i.test(reason)) {
    return { code: 'AUTH_FAILED', detail: `${where} refused the user "${user}" or its password` };
  }
  if (status === 401 || status === 403) {
    return { code: 'PERMISSION_DENIED', detail: `${where}: the user "${user}" may not read ${endpoint}${reason ? ` (${reason})` : ''}` };
  }
  if (status === 404) return { code: 'BAD_URL', detail: `${where}: ${notFound ?? `no ${endpoint}`} (404${reason ? ` ${reason}` : ''})` };
  if (status === 400 && /http request was sent to https|plain http/i.test(body)) {
    return { code: 'TLS_REQUIRED', detail: `${where} expects TLS: use an https:// management URL` };
  }
  return { code: 'INTERNAL', detail: `${where}: ${endpoint} answered HTTP ${status}${reason ? ` (${reason})` : ''}` };
}

/** Socket and TLS failures of an HTTP request or an AMQP connection. */
export function classifySocketError(error: unknown, where: string, options: { tls: boolean; scheme: string }): ApiError {
  const err = error as { message?: string; code?: string } | null;
  const message = String(err?.message ?? error);
  const code = err?.code ?? '';
  if (code === 'ECONNREFUSED') return { code: 'TARGET_UNREACHABLE', detail: `${where} refused the connection (is RabbitMQ running there?)` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { code: 'TARGET_UNREACHABLE', detail: `${where}: host not found` };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { code: 'TARGET_UNREACHABLE', detail: `${where}: no route to the host` };
  if (code === 'ETIMEDOUT' || code === 'TIMEOUT' || /timed? ?out/i.test(message)) return { code: 'TIMEOUT', detail: `${where} did not answer in time` };
  if (/wrong version number|EPROTO|ssl3_get_record|packet length too long|http_request/i.test(message) || code === 'EPROTO') {
    return { code: 'TLS_REQUIRED', detail: `${where} does not speak TLS: use ${options.scheme}:// without the s` };
  }
  if (!options.tls && (code === 'HPE_INVALID_CONSTANT' || /Parse Error: Expected HTTP/i.test(message))) {
    // A TLS listener answers plain HTTP with a TLS alert, which is no HTTP response.
    return { code: 'TLS_REQUIRED', detail: `${where} answered with something other than HTTP: it expects TLS (use ${options.scheme}s://)` };
  }
  if (/self[- ]signed|unable to verify|certificate|altnames/i.test(message)) {
    return { code: 'TLS_REQUIRED', detail: `${where}: the server certificate was not trusted (${message}); give a CA file or insecure mode` };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|closed abruptly|socket closed/i.test(message)) {
    const hint = options.tls ? '' : ` (if it expects TLS, use ${options.scheme}s://)`;
    return { code: 'TARGET_UNREACHABLE', detail: `${where} closed the connection${hint}` };
  }
  return { code: 'INTERNAL', detail: `${where}: ${message}` };
}

/**
 * An AMQP connection or channel error. RabbitMQ closes with 403 ACCESS_REFUSED for a wrong
 * password and 530 NOT_ALLOWED for a vhost the user may not open or that does not exist; amqplib
 * 2.3 reports the latter as "Expected ConnectionOpenOk; got <ConnectionClose channel:0>" without
 * the broker's words, so the two cannot be told apart over AMQP and the message names both.
 */
export function classifyAmqpError(error: unknown, where: string, options: { tls: boolean; vhost: string; user: string; isHandshake?: boolean }): ApiError {
  const message = String((error as { message?: string } | null)?.message ?? error);
  const code = (error as { code?: unknown } | null)?.code;
  if (options.isHandshake && !options.tls && (code === 'ECONNRESET' || code === 'EPIPE' || /closed abruptly during opening handshake/i.test(message))) {
    // RabbitMQ answers a refused login or vhost with a proper close; a TLS listener just hangs up on AMQP's header.
    return { code: 'TLS_REQUIRED', detail: `${where} hung up on the AMQP handshake: it expects TLS (use amqps://)` };
  }
  if (/ACCESS_REFUSED|Login was refused|403/i.test(message) && /login|PLAIN|AMQPLAIN|authentication/i.test(message)) {
    return { code: 'AUTH_FAILED', detail: `${where} refused the user "${options.user}" or its password` };
  }
  if (/NOT_ALLOWED|530/.test(message) || /Expected ConnectionOpenOk; got <ConnectionClose/.test(message)) {
    if (/vhost .* not found/i.test(message)) return { code: 'BAD_URL', detail: `${where} has no vhost "${options.vhost}"` };
    return {
      code: 'PERMISSION_DENIED',
      detail: `${where} refused to open vhost "${options.vhost}" for the user "${options.user}": the vhost does not exist or the user has no permission on it (rabbitmqctl set_permissions -p VHOST USER …)`,
    };
  }
  if (/ACCESS_REFUSED/.test(message)) {
    return { code: 'PERMISSION_DENIED', detail: `${where}: the user "${options.user}" was refused (${message.replace(/^.*ACCESS_REFUSED - /, '').replace(/"$/, '')})` };
  }
  if (/RESOURCE_LOCKED/.test(message)) {
    return { code: 'PERMISSION_DENIED', detail: `${where}: ${message.replace(/^.*RESOURCE_LOCKED - /, '').replace(/"$/, '')} (an exclusive queue of another connection)` };
  }
  return classifySocketError(error, where, { tls: options.tls, scheme: 'amqp' });
}

function reasonOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { reason?: unknown; error?: unknown };
    return typeof parsed.reason === 'string' ? parsed.reason : typeof parsed.error === 'string' ? parsed.error : '';
  } catch {
    return body.slice(0, 120).replace(/\s+/g, ' ').trim();
  }
}
