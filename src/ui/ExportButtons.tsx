// Export from the page: the run as run.json (the CLI's format) and as CSV, and the view as a PNG.
// Each chart has its own PNG button on its card (ChartFrame).

import { runCsv } from '../core/export/runFile';
import { currentRunFile } from '../state/controller';
import { lab, useLab } from '../state/store';
import { canvasBlob, viewCanvas } from './chartImage';
import { downloadBlob, downloadText } from './download';

/** A file name for this run: its network and the step it is at. */
function baseName(): string {
  const { config, step } = lab.get();
  return `ranklab-${config.model}-${config.depth}x${config.width}-B${config.batchSize}-step${step}`;
}

export async function downloadViewPng(): Promise<void> {
  const cards = [...document.querySelectorAll<HTMLElement>('section[data-testid$="-chart"]')];
  const numbers = [...document.querySelectorAll('.numbers dl > div')].map((d) => [d.querySelector('dt')?.textContent ?? '', d.querySelector('dd')?.textContent ?? ''] as [string, string]);
  try {
    downloadBlob(`${baseName()}.png`, await canvasBlob(await viewCanvas(cards, numbers)));
  } catch (e) {
    lab.notify('info', `No picture: ${(e as Error).message}`);
  }
}

export function ExportButtons() {
  const snapshots = useLab((s) => s.history.length);
  const none = snapshots === 0;
  return (
    <span className="export" role="group" aria-label="Export">
      <button type="button" className="small" disabled={none} onClick={() => downloadText(`${baseName()}.json`, JSON.stringify(currentRunFile()), 'application/json')} title="run.json, as the command line writes it: every snapshot with its singular values">Download run</button>
      <button type="button" className="small" disabled={none} onClick={() => downloadText(`${baseName()}.csv`, runCsv(currentRunFile()), 'text/csv')} title="One row per snapshot">Download CSV</button>
      <button type="button" className="small" disabled={none} onClick={() => void downloadViewPng()} title="The three charts and the numbers in one picture">Download PNG</button>
    </span>
  );
}
