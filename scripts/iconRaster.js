// A tiny rasteriser for the icons: shapes are predicates over the unit square (y down), each
// pixel's coverage is sampled on a grid, and layers are composited in order. Pure Node, so the
// icons can be regenerated anywhere without ImageMagick or a browser.

export const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

export const ring = (cx, cy, outer, inner) => minus(circle(cx, cy, outer), circle(cx, cy, inner));

/** Even-odd point-in-polygon. */
export const polygon = (points) => (x, y) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

function distanceToSegment(x, y, [x1, y1], [x2, y2]) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}

/** A stroked polyline with round caps and joins. */
export const stroke = (points, width) => (x, y) => {
  for (let i = 1; i < points.length; i++) if (distanceToSegment(x, y, points[i - 1], points[i]) <= width / 2) return true;
  return false;
};

/** A polygon grown by `d` on every side (round corners): an outline drawn under the fill. */
export const grownPolygon = (points, d) => {
  const inside = polygon(points);
  const edges = stroke([...points, points[0]], 2 * d);
  return (x, y) => inside(x, y) || edges(x, y);
};

export const regularPolygon = (n, cx, cy, r, rotation = 0) =>
  Array.from({ length: n }, (_, i) => {
    const a = rotation + (2 * Math.PI * i) / n;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });

export const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const qx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const qy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && qx * qx + qy * qy <= r * r;
};

export const union = (...shapes) => (x, y) => shapes.some((s) => s(x, y));
export const minus = (a, b) => (x, y) => a(x, y) && !b(x, y);

/**
 * Renders layers `{ shape, color: [r, g, b, a?] }` (or `{ shape, erase: true }` to cut through
 * what is below) into straight-alpha RGBA bytes of `size`×`size`.
 */
export function rasterize(size, layers) {
  const grid = size >= 256 ? 3 : size >= 64 ? 4 : 8;
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0]; // premultiplied, 0..1
      for (const layer of layers) {
        let hits = 0;
        for (let sy = 0; sy < grid; sy++) {
          for (let sx = 0; sx < grid; sx++) {
            if (layer.shape((px + (sx + 0.5) / grid) / size, (py + (sy + 0.5) / grid) / size)) hits++;
          }
        }
        const coverage = hits / (grid * grid);
        if (coverage === 0) continue;
        if (layer.erase) {
          [r, g, b, a] = [r, g, b, a].map((v) => v * (1 - coverage));
          continue;
        }
        const [cr, cg, cb, ca = 1] = layer.color;
        const alpha = ca * coverage;
        r = (cr / 255) * alpha + r * (1 - alpha);
        g = (cg / 255) * alpha + g * (1 - alpha);
        b = (cb / 255) * alpha + b * (1 - alpha);
        a = alpha + a * (1 - alpha);
      }
      const i = (py * size + px) * 4;
      out[i] = a === 0 ? 0 : Math.round((r / a) * 255);
      out[i + 1] = a === 0 ? 0 : Math.round((g / a) * 255);
      out[i + 2] = a === 0 ? 0 : Math.round((b / a) * 255);
      out[i + 3] = Math.round(a * 255);
    }
  }
  return out;
}
