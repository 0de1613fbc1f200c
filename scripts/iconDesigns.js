// The six status icons, told apart by SHAPE as well as colour (design/ARCHITECTURE.md "Status and
// the tray icon"): ok a check in a circle, warning a triangle, error a square, critical an
// octagon, emergency a cross, stale a clock. Coordinates are in the unit square, y down.
import { circle, grownPolygon, polygon, regularPolygon, ring, roundRect, stroke, union } from './iconRaster.js';

const ink = [26, 26, 26, 0.85]; // outline: keeps light fills visible on light panels
const white = [255, 255, 255];
const outline = 0.045;

const check = stroke([[0.27, 0.52], [0.43, 0.68], [0.74, 0.35]], 0.13);
const triangle = [[0.5, 0.07], [0.95, 0.89], [0.05, 0.89]];
const bang = (top, bottom, dotY, width) => union(stroke([[0.5, top], [0.5, bottom]], width), circle(0.5, dotY, width * 0.6));
const square = [[0.12, 0.12], [0.88, 0.12], [0.88, 0.88], [0.12, 0.88]];
const octagon = regularPolygon(8, 0.5, 0.5, 0.45, Math.PI / 8);
const bar = stroke([[0.3, 0.5], [0.7, 0.5]], 0.14);
const cross = (w) => union(stroke([[0.2, 0.2], [0.8, 0.8]], w), stroke([[0.8, 0.2], [0.2, 0.8]], w));
const hands = stroke([[0.5, 0.27], [0.5, 0.5], [0.68, 0.62]], 0.1);

/** Coloured icons (Linux and Windows trays), one list of layers per status. */
export const colourIcons = {
  ok: [
    { shape: circle(0.5, 0.5, 0.45 + outline), color: ink },
    { shape: circle(0.5, 0.5, 0.45), color: [46, 158, 68] },
    { shape: check, color: white },
  ],
  warning: [
    { shape: grownPolygon(triangle, outline), color: ink },
    { shape: polygon(triangle), color: [242, 193, 46] },
    { shape: bang(0.38, 0.62, 0.76, 0.1), color: [26, 26, 26] },
  ],
  error: [
    { shape: grownPolygon(square, outline), color: ink },
    { shape: polygon(square), color: [238, 122, 26] },
    { shape: bang(0.27, 0.56, 0.72, 0.12), color: white },
  ],
  critical: [
    { shape: grownPolygon(octagon, outline), color: ink },
    { shape: polygon(octagon), color: [214, 40, 40] },
    { shape: bar, color: white },
  ],
  emergency: [
    // black per the alert table; the white rim keeps it visible on dark panels
    { shape: cross(0.3 + 2 * outline), color: white },
    { shape: cross(0.3), color: [0, 0, 0] },
  ],
  stale: [
    { shape: circle(0.5, 0.5, 0.45 + outline), color: ink },
    { shape: circle(0.5, 0.5, 0.45), color: [138, 143, 152] },
    { shape: hands, color: white },
  ],
};

const black = [0, 0, 0];

/** macOS template icons: black and alpha only, the system recolours them; shape carries status. */
export const templateIcons = {
  ok: [{ shape: stroke([[0.14, 0.52], [0.38, 0.76], [0.86, 0.26]], 0.19), color: black }],
  warning: [{ shape: polygon(triangle), color: black }, { shape: bang(0.4, 0.62, 0.76, 0.11), erase: true }],
  error: [{ shape: polygon(square), color: black }, { shape: bang(0.27, 0.56, 0.72, 0.13), erase: true }],
  critical: [{ shape: polygon(octagon), color: black }, { shape: bar, erase: true }],
  emergency: [{ shape: cross(0.24), color: black }],
  stale: [{ shape: ring(0.5, 0.5, 0.47, 0.35), color: black }, { shape: hands, color: black }],
};

/** The app icon: a queue (three bars, shortening) on a rounded tile, with a green status dot. */
export const appIcon = [
  { shape: roundRect(0.04, 0.04, 0.96, 0.96, 0.2), color: [31, 58, 95] },
  { shape: stroke([[0.22, 0.3], [0.78, 0.3]], 0.1), color: white },
  { shape: stroke([[0.22, 0.5], [0.62, 0.5]], 0.1), color: white },
  { shape: stroke([[0.22, 0.7], [0.46, 0.7]], 0.1), color: white },
  { shape: circle(0.74, 0.7, 0.13), color: [46, 158, 68] },
];
