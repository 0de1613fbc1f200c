import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appId } from '../../../src-main/shells/electron/appIdentity.js';

/** A sanity check of electron-builder.yml: packaging itself cannot run here (no Electron download). */
const root = join(import.meta.dirname, '..', '..', '..');
/** The parts of the config this test reads. */
interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: unknown[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string; extendInfo: Record<string, unknown> };
  win: { target: string[]; icon: string };
}
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s own schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(config: unknown, logger: { add(): void; isEnabled: boolean }): Promise<void>;
    };
    await expect(validateConfiguration(config, { add() {}, isEnabled: false })).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, electronFuses: { runAsNod: false } }, { add() {}, isEnabled: false })).rejects.toThrow(/electronFuses/);
  });

  it('uses the same appId as app.setAppUserModelId, and the product name task-status', () => {
    expect([config.appId, config.productName]).toEqual([appId, 'task-status']);
  });

  it('packs the build output and ships the icons as resources', () => {
    expect(config.files).toContain('out/**');
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.extraResources).toEqual([{ from: 'assets', to: 'assets', filter: ['tray/**', 'app/icons/256x256.png', 'app/icon.ico'] }]);
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) expect(existsSync(join(root, icon)), icon).toBe(true);
  });

  it('flips the fuses of the security checklist', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds for Linux, macOS (tray-only) and Windows', () => {
    expect([config.linux.target, config.mac.target, config.win.target]).toEqual([['AppImage', 'deb'], ['dmg', 'zip'], ['nsis']]);
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
  });
});
