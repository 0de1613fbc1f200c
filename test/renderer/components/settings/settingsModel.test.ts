import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../../src-main/contract/settings.js';
import { editOf, editsOf, formOf, sectionLines, urlProblem, withConnection } from '../../../../src-renderer/components/settings/settingsModel.js';

const view: SettingsView = {
  editable: true, source: '/home/ann/.config/task-status/config.json', pollInterval: '5s', readOnly: true,
  retention: { raw: '24h', minute: '30d' }, notifications: null, rules: null, keychain: { canSeal: true, warning: null }, warnings: [],
  connections: [
    { id: 'prod', kind: 'redis', url: 'redis://app@prod:6379/0', password: 'keychain', passwordEnv: null, frameworks: { celery: { keyPrefix: 'q:' } }, tls: null },
    { id: 'env', kind: 'redis', url: 'redis://env', password: 'environment', passwordEnv: 'PW', frameworks: {}, tls: { insecure: true } },
  ],
};

describe('Settings view decisions', () => {
  it('the form starts without a password and sends only what was typed', () => {
    const form = formOf(view.connections[0]!);
    expect(form).toEqual({ id: 'prod', kind: 'redis', url: 'redis://app@prod:6379/0', password: '', passwordEnv: '', clearPassword: false, saved: 'keychain' });
    expect(editOf(form, view.connections[0]!)).toEqual({ id: 'prod', kind: 'redis', url: 'redis://app@prod:6379/0', frameworks: { celery: { keyPrefix: 'q:' } } });
    expect(editOf({ ...form, password: 'typed' }, view.connections[0]!)).toMatchObject({ password: 'typed' });
  });

  it('saving one connection sends the whole list, the others unchanged', () => {
    expect(editsOf(view)).toEqual([
      { id: 'prod', kind: 'redis', url: 'redis://app@prod:6379/0', frameworks: { celery: { keyPrefix: 'q:' } } },
      { id: 'env', kind: 'redis', url: 'redis://env', passwordEnv: 'PW', tls: { insecure: true } },
    ]);
    expect(withConnection(view, null, { kind: 'redis', url: 'redis://new' }).map((e) => e.url)).toEqual(['redis://app@prod:6379/0', 'redis://env', 'redis://new']);
    expect(withConnection(view, 0, null).map((e) => e.id)).toEqual(['env']);
    expect(withConnection(view, 1, { id: 'env2', kind: 'redis', url: 'redis://env2' }).map((e) => e.id)).toEqual(['prod', 'env2']);
  });

  it('checks the URL scheme per broker and shows config sections as lines', () => {
    expect(urlProblem('rediss://h:6380/1', 'redis')).toBeNull();
    expect(urlProblem('http://h', 'redis')).toBe('a Redis URL starts with redis:// or rediss://');
    expect(urlProblem('amqp://guest@h', 'rabbitmq')).toBeNull();
    expect(sectionLines(view.retention)).toEqual(['raw: 24h', 'minute: 30d']);
    expect(sectionLines(null)).toBeNull();
  });
});
