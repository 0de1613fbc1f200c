import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../../src-renderer/lib/route/route.js';

describe('routes', () => {
  const places: Array<[string, Route]> = [
    ['#/', { kind: 'dashboard' }],
    ['#/queue/prod/rq/default', { kind: 'queue', connection: 'prod', framework: 'rq', name: 'default' }],
    ['#/queue/a%2Fb/celery/q%23x', { kind: 'queue', connection: 'a/b', framework: 'celery', name: 'q#x' }],
    ['#/task/abc-1', { kind: 'task', id: 'abc-1' }],
    ['#/task', { kind: 'task', id: null }],
    ['#/alerts', { kind: 'alerts' }],
    ['#/settings', { kind: 'settings' }],
  ];

  it('every view has a route, and each href reads back as the same place', () => {
    for (const [hash, route] of places) {
      expect(parseRoute(hash), hash).toEqual(route);
      expect(routeHref(route as Exclude<Route, { kind: 'notFound' }>), hash).toBe(hash);
    }
    expect(parseRoute('')).toEqual({ kind: 'dashboard' });
  });

  it('anything else is not found, said as it was asked', () => {
    for (const hash of ['#/alerts/x', '#/queue/a/b', '#/nope', '#/task/%E0%A4%A']) expect(parseRoute(hash)).toEqual({ kind: 'notFound', hash });
  });
});
