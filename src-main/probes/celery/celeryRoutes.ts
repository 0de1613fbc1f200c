import type { CeleryDiscovery } from './celeryDiscovery.js';

/**
 * The queue a message was delivered from, from its exchange and routing key, the way kombu's
 * Redis transport routes: the default exchange `''` names the queue by routing key; a direct
 * exchange looks the key up in its routing table; a topic table entry may hold `*` / `#`.
 * `null` when no single queue matches (unknown, or bound to several queues).
 */
export function queueOf(discovery: CeleryDiscovery, exchange: string | null, routingKey: string | null): string | null {
  if (routingKey === null) return null;
  const table = exchange ? discovery.routes[exchange] : undefined;
  if (table) {
    const direct = table[routingKey];
    if (direct) return direct.length === 1 ? direct[0]! : null;
    const matches = new Set<string>();
    for (const [pattern, queues] of Object.entries(table)) {
      if ((pattern.includes('*') || pattern.includes('#')) && topicMatches(pattern, routingKey)) queues.forEach((q) => matches.add(q));
    }
    if (matches.size === 1) return [...matches][0]!;
    if (matches.size > 1) return null;
  }
  return discovery.queues.some((q) => q.name === routingKey) ? routingKey : null;
}

function topicMatches(pattern: string, key: string): boolean {
  const words = pattern.split('.').map((w) => (w === '*' ? '[^.]+' : w === '#' ? '.*' : w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${words.join('\\.')}$`).test(key);
}
