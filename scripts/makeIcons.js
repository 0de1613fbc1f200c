#!/usr/bin/env node
// Regenerates every icon under assets/ (tray per status and OS, app icon): `node scripts/makeIcons.js`.
// The outputs are committed; assets/README.md says which file each OS uses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appIcon, colourIcons, templateIcons } from './iconDesigns.js';
import { encodeIcns, encodeIco, encodePng } from './iconFiles.js';
import { rasterize } from './iconRaster.js';

const assets = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');
const png = (layers, size, dpi) => encodePng(size, rasterize(size, layers), dpi);
const ico = (layers, sizes) => encodeIco(sizes.map((size) => ({ size, png: png(layers, size) })));

function write(path, bytes) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  console.log(`${path.slice(assets.length + 1)}\t${bytes.length} bytes`);
}

for (const [status, layers] of Object.entries(colourIcons)) {
  write(join(assets, 'tray', `${status}-16.png`), png(layers, 16));
  write(join(assets, 'tray', `${status}-16@2x.png`), png(layers, 32, 144));
  write(join(assets, 'tray', `${status}-32.png`), png(layers, 32));
  write(join(assets, 'tray', `${status}-32@2x.png`), png(layers, 64, 144));
  // Windows notification area: 100, 125, 150 and 200 % DPI
  write(join(assets, 'tray', `${status}.ico`), ico(layers, [16, 20, 24, 32]));
}
for (const [status, layers] of Object.entries(templateIcons)) {
  write(join(assets, 'tray', `${status}Template.png`), png(layers, 16));
  write(join(assets, 'tray', `${status}Template@2x.png`), png(layers, 32, 144));
}
// Linux icon set (electron-builder wants the size in the name) and the window icon
for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) write(join(assets, 'app', 'icons', `${size}x${size}.png`), png(appIcon, size));
write(join(assets, 'app', 'icon.png'), png(appIcon, 1024));
write(join(assets, 'app', 'icon.ico'), ico(appIcon, [16, 20, 24, 32, 40, 48, 64, 256]));
// macOS: 128, 256, 512, 1024 px and the @2x of 16, 32, 128, 256, 512
write(join(assets, 'app', 'icon.icns'), encodeIcns([
  ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024], ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
].map(([type, size]) => ({ type, png: png(appIcon, size, type >= 'ic10' ? 144 : 72) }))));
