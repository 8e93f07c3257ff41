const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A small inline SVG line of recent values (oldest first); empty until two points exist.
 * It spans the values' own range, widened to `range.min`/`range.max` where given (a rate
 * from 0, a ratio from 0 to 1), so a flat line at zero sits at the bottom.
 */
export function sparkline(
  values: readonly number[],
  label: string,
  color = '#8fb4ff',
  range: { min?: number; max?: number } = {},
): SVGSVGElement {
  const w = 120;
  const hgt = 28;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(hgt));
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  if (values.length < 2) return svg;
  let lo = Math.min(range.min ?? Number.POSITIVE_INFINITY, ...values);
  let hi = Math.max(range.max ?? Number.NEGATIVE_INFINITY, ...values);
  if (hi - lo < 1e-9) {
    if (range.min === undefined) lo -= 1;
    hi += 1;
  }
  const pts = values.map((v, i) => {
    const x = (i / (values.length - 1)) * (w - 2) + 1;
    const y = hgt - 2 - ((v - lo) / (hi - lo)) * (hgt - 4);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  const line = document.createElementNS(SVG_NS, 'polyline');
  line.setAttribute('points', pts.join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', color);
  line.setAttribute('stroke-width', '2');
  line.setAttribute('stroke-linejoin', 'round');
  svg.append(line);
  return svg;
}
