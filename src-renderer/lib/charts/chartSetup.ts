import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ChartPalette } from './chartConfig.js';

/** Only the parts of chart.js the trend charts use (keeps the bundle small). */
Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);

export { Chart };

/** The chart colours from the page's CSS variables: they follow the light or dark theme. */
export function readPalette(element: Element): ChartPalette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#1c1d21'),
    muted: read('--muted', '#5c5f6a'),
    grid: read('--border', '#d9dae0'),
    lines: [read('--chart-1', '#2f5bd3'), read('--chart-2', '#c2410c')],
    forecast: read('--chart-forecast', '#5c5f6a'),
  };
}
