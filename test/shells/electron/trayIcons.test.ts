import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { overallStatuses } from '../../../src-main/core/status/overallStatus.js';
import { appIconPath, assetsDirOf, trayIconPath } from '../../../src-main/shells/electron/trayIcons.js';

const assets = join(import.meta.dirname, '..', '..', '..', 'assets');

function pngInfo(path: string) {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colourType: bytes[25] };
}

/** RGB bytes of a PNG written by scripts/iconFiles.js (one IDAT, filter 0 on every row). */
function rgbOf(path: string): number[] {
  const bytes = readFileSync(path);
  const { width } = pngInfo(path);
  const idat = bytes.indexOf('IDAT');
  const rows = inflateSync(bytes.subarray(idat + 4, idat + 4 + bytes.readUInt32BE(idat - 4)));
  const rgb: number[] = [];
  for (let y = 0; y * (width * 4 + 1) < rows.length; y++) {
    for (let x = 0; x < width; x++) rgb.push(...rows.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 4 + x * 4));
  }
  return rgb;
}

function icoSizes(path: string): number[] {
  const bytes = readFileSync(path);
  expect([bytes.readUInt16LE(0), bytes.readUInt16LE(2)]).toEqual([0, 1]);
  return Array.from({ length: bytes.readUInt16LE(4) }, (_, i) => bytes[6 + 16 * i] || 256);
}

describe('tray icons per status and OS', () => {
  it.each(overallStatuses)('%s: Linux PNG 32 px with @2x 64 px', (status) => {
    const path = trayIconPath(assets, status, 'linux');
    expect(path).toBe(join(assets, 'tray', `${status}-32.png`));
    expect(pngInfo(path)).toEqual({ width: 32, height: 32, colourType: 6 });
    expect(pngInfo(path.replace('.png', '@2x.png')).width).toBe(64);
    expect(pngInfo(join(assets, 'tray', `${status}-16.png`)).width).toBe(16);
    expect(pngInfo(join(assets, 'tray', `${status}-16@2x.png`)).width).toBe(32);
  });

  it.each(overallStatuses)('%s: macOS template 16 px with @2x 32 px, black and alpha only', (status) => {
    const path = trayIconPath(assets, status, 'darwin');
    expect(path).toBe(join(assets, 'tray', `${status}Template.png`));
    expect(pngInfo(path).width).toBe(16);
    expect(pngInfo(path.replace('.png', '@2x.png')).width).toBe(32);
    expect(new Set(rgbOf(path))).toEqual(new Set([0]));
    expect(new Set(rgbOf(path.replace('.png', '@2x.png')))).toEqual(new Set([0]));
  });

  it.each(overallStatuses)('%s: Windows .ico with 16, 20, 24 and 32 px', (status) => {
    const path = trayIconPath(assets, status, 'win32');
    expect(path).toBe(join(assets, 'tray', `${status}.ico`));
    expect(icoSizes(path)).toEqual([16, 20, 24, 32]);
  });

  it('app icons exist', () => {
    expect(pngInfo(appIconPath(assets, 'linux')).width).toBe(256);
    expect(icoSizes(appIconPath(assets, 'win32'))).toEqual([16, 20, 24, 32, 40, 48, 64, 256]);
    expect(pngInfo(join(assets, 'app', 'icon.png')).width).toBe(1024);
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) expect(pngInfo(join(assets, 'app', 'icons', `${size}x${size}.png`)).width).toBe(size);
    const icns = readFileSync(join(assets, 'app', 'icon.icns'));
    expect([icns.subarray(0, 4).toString(), icns.readUInt32BE(4)]).toEqual(['icns', icns.length]);
  });

  it('the six icons of a kind differ from each other', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const files = overallStatuses.map((s) => readFileSync(trayIconPath(assets, s, platform)).toString('base64'));
      expect(new Set(files).size).toBe(6);
    }
  });

  it('finds assets beside the code, or in resources once packaged', () => {
    expect(assetsDirOf(false, '/opt/task-status/resources', '/home/me/task-status')).toBe(join('/home/me/task-status', 'assets'));
    expect(assetsDirOf(true, '/opt/task-status/resources', '/opt/task-status/resources/app.asar')).toBe(join('/opt/task-status/resources', 'assets'));
    expect(existsSync(join(assets, 'README.md'))).toBe(true);
  });
});
