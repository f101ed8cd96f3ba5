// Charts as PNG files, drawn from what is on screen: each chart card's title, its legend and its
// SVG plot, at twice the screen's pixels so a figure stays sharp on a projector or a slide; the
// whole view is the three charts and the numbers in one picture.

const SCALE = 2;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const INK = '#1b2430';

/** A chart card (a section with a recharts SVG) as a canvas: title, legend, plot. */
export async function chartCanvas(card: HTMLElement): Promise<HTMLCanvasElement> {
  const svg = card.querySelector<SVGSVGElement>('svg.recharts-surface');
  if (!svg) throw new Error('This chart has nothing drawn yet.');
  const width = svg.width.baseVal.value, height = svg.height.baseVal.value;
  const title = card.querySelector('h2')?.textContent ?? '';
  const legend = [...card.querySelectorAll<HTMLElement>('.chart-legend li')].map((li) => {
    const line = li.querySelector('line');
    return { name: li.textContent ?? '', colour: line?.getAttribute('stroke') ?? INK, dash: line?.getAttribute('stroke-dasharray') ?? '', width: Number(line?.getAttribute('stroke-width') ?? 2) };
  });
  const legendRows = layoutLegend(legend.map((e) => e.name), width);
  const top = 34 + legendRows.length * 20;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * SCALE);
  canvas.height = Math.round((top + height + 8) * SCALE);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, top + height + 8);
  ctx.fillStyle = INK;
  ctx.font = `600 16px ${FONT}`;
  ctx.fillText(title, 8, 22);
  ctx.font = `12px ${FONT}`;
  let index = 0;
  legendRows.forEach((row, r) => {
    let x = (width - row.width) / 2;
    const y = 44 + r * 20;
    for (const name of row.names) {
      const e = legend[index++];
      ctx.strokeStyle = e.colour;
      ctx.lineWidth = Math.min(e.width, 3);
      ctx.setLineDash(e.dash ? e.dash.split(/[ ,]+/).map(Number) : []);
      ctx.beginPath(); ctx.moveTo(x, y - 4); ctx.lineTo(x + 16, y - 4); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = INK;
      ctx.fillText(name, x + 21, y);
      x += 21 + ctx.measureText(name).width + 14;
    }
  });
  ctx.drawImage(await svgImage(svg), 0, top, width, height);
  return canvas;
}

/** Legend names in rows that fit `width` (12 px text, a 21 px swatch, 14 px between entries). */
function layoutLegend(names: string[], width: number): { names: string[]; width: number }[] {
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.font = `12px ${FONT}`;
  const rows: { names: string[]; width: number }[] = [];
  for (const name of names) {
    const w = 21 + ctx.measureText(name).width;
    const row = rows.at(-1);
    if (row && row.width + 14 + w <= width - 16) { row.names.push(name); row.width += 14 + w; } else rows.push({ names: [name], width: w });
  }
  return rows;
}

/** The SVG as an image, with the page's font (an SVG drawn as an image sees no stylesheet). */
function svgImage(svg: SVGSVGElement): Promise<HTMLImageElement> {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('font-family', FONT);
  copy.setAttribute('width', String(svg.width.baseVal.value));
  copy.setAttribute('height', String(svg.height.baseVal.value));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(copy)], { type: 'image/svg+xml' }));
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => { URL.revokeObjectURL(url); resolve(image); };
    image.onerror = () => { URL.revokeObjectURL(url); reject(new Error('The chart could not be drawn as an image.')); };
    image.src = url;
  });
}

/** The three charts in a 2 x 2 grid with the numbers (label, value pairs) in the fourth cell. */
export async function viewCanvas(cards: HTMLElement[], numbers: [string, string][]): Promise<HTMLCanvasElement> {
  const parts = await Promise.all(cards.map(chartCanvas));
  const cell = { width: Math.max(...parts.map((p) => p.width)), height: Math.max(...parts.map((p) => p.height)) };
  const gap = 16 * SCALE;
  const canvas = document.createElement('canvas');
  canvas.width = 2 * cell.width + 3 * gap;
  canvas.height = 2 * cell.height + 3 * gap;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#f6f7f9';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  parts.forEach((p, i) => ctx.drawImage(p, gap + (i % 2) * (cell.width + gap), gap + Math.floor(i / 2) * (cell.height + gap)));
  // The numbers, as on screen: a small label over a large value.
  const x0 = gap + cell.width + gap, y0 = gap + cell.height + gap;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(x0, y0, cell.width, cell.height);
  // Two columns of label over value; long values (layer ranks, the settings in force) get a whole row.
  let column = 0, y = y0 + 24 * SCALE;
  for (const [label, value] of numbers) {
    const wide = value.length > 14;
    if (wide && column === 1) { column = 0; y += 46 * SCALE; }
    if (y > y0 + cell.height - 16 * SCALE) break;
    const x = x0 + 14 * SCALE + column * (cell.width / 2);
    ctx.fillStyle = '#5b6675';
    ctx.font = `${11 * SCALE}px ${FONT}`;
    ctx.fillText(label.toUpperCase(), x, y);
    ctx.fillStyle = INK;
    ctx.font = `600 ${18 * SCALE}px ${FONT}`;
    ctx.fillText(value, x, y + 22 * SCALE, cell.width - 28 * SCALE);
    if (wide || column === 1) { column = 0; y += 46 * SCALE; } else column = 1;
  }
  return canvas;
}

export function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The picture could not be encoded.'))), 'image/png'));
}
