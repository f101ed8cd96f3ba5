// The lab: settings on the left; numbers, spectra, rank curves and learning curves
// on the right, all on one 1366x768 screen.

import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useLab, lab } from '../state/store';
import { RankChart, SpectrumChart, TrainingChart } from './charts';
import { ControlsPanel } from './controls/ControlsPanel';
import { Notices } from './Notices';
import { MechanismPanel } from './MechanismPanel';
import { NumbersPanel } from './NumbersPanel';
import { DemoPicker } from './DemoPicker';
import { describeMain, describeOverrides, overridesBetween } from '../core/config/presets';
import type { Config } from '../core/config/fields';
import { TransportBar } from './TransportBar';
import { setPresenting, setSweep } from '../state/controller';
import { PresentationStrip } from './PresentationStrip';
import { useChartHeight } from './useChartHeight';
import { SweepView } from './sweep/SweepView';
import type { View } from '../core/sweep/link';
import { ShortcutHelp } from './ShortcutHelp';
import { RecentRuns } from './RecentRuns';
import { ExportButtons } from './ExportButtons';
import { FullScreenButton, ShortcutsButton, TimeAxisToggle } from './ViewControls';
import { useShortcuts } from './useShortcuts';

/** The lab or its sweeps: two tabs, the choice kept in the link. */
function ViewSwitch({ view }: { view: View }) {
  return (
    <div className="view-switch" role="tablist" aria-label="View">
      <button type="button" role="tab" aria-selected={view === 'lab'} onClick={() => setSweep({ view: 'lab' })}>Lab</button>
      <button type="button" role="tab" aria-selected={view === 'sweep'} onClick={() => setSweep({ view: 'sweep' })}>Sweeps</button>
    </div>
  );
}

/** Plot height before the charts' grid has been measured. */
const CHART_HEIGHT = 200;

/**
 * The lowest plot presentation mode lays out before it scrolls, in its 853 x 480 CSS px (x1.5 and
 * up on screen). Once a run has started, the spectrum's legend names its overlays on a second
 * line and leaves ~135 px: under the normal 140 the charts' area scrolled and a projector showed
 * the bottom row cut off.
 */
const PRESENTING_MIN_PLOT = 120;

/**
 * Presentation mode lays the lab out for 853 x 480 CSS px and zooms it to fill the screen: 1.5x on
 * a 1280x720 projector, 1.6x at 1366x768, 2.25x at 1920x1080. At 1.5x the charts' 12 px tick
 * labels and legends are 18 px and the 19 px numbers 28.5 px.
 */
const PRESENTATION_SIZE = { width: 853, height: 480 };

function usePresentationZoom(presenting: boolean): number {
  const read = () => Math.max(1, Math.min(window.innerWidth / PRESENTATION_SIZE.width, window.innerHeight / PRESENTATION_SIZE.height));
  const [zoom, setZoom] = useState(read);
  useEffect(() => {
    if (!presenting) return;
    const onResize = () => setZoom(read());
    onResize();
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [presenting]);
  return zoom;
}

const selectLayer = (name: string) => lab.set({ selectedLayer: name });

/** A stored run drawn as the comparison: named by what differs from the run on screen. */
function referenceLabel(config: Config, stored: Config): string {
  const differs = describeOverrides(overridesBetween(config, stored));
  return differs ? `Stored run: ${differs}` : 'Stored run (same settings)';
}

export function App() {
  // Charts get deferred values: React renders them in interruptible background work, so a
  // chart update never blocks the page (the store's own updates are synchronous).
  const spectrum = useDeferredValue(useLab((s) => s.chart.spectrum));
  const spectrumInitial = useDeferredValue(useLab((s) => s.chart.spectrumInitial));
  const spectrumComparison = useDeferredValue(useLab((s) => s.chart.spectrumComparison));
  const rankCut = useDeferredValue(useLab((s) => s.chart.rank));
  const trainingCut = useDeferredValue(useLab((s) => s.chart.training));
  // Strings, not the config: a slider tick that leaves the labels alone re-renders no chart.
  const comparisonLabel = useLab((s) => (s.compare ? describeOverrides(s.compare) : s.reference ? referenceLabel(s.config, s.reference.config) : null));
  const mainLabel = useLab((s) => (s.compare ? describeMain(s.config, s.compare) : s.reference ? describeMain(s.config, overridesBetween(s.config, s.reference.config)) || 'this run' : ''));
  const rankComparison = useMemo(
    () => (comparisonLabel !== null ? { label: comparisonLabel, mainLabel, history: rankCut.comparison } : undefined),
    [comparisonLabel, mainLabel, rankCut],
  );
  const trainingComparison = useMemo(
    () => (comparisonLabel !== null ? { label: comparisonLabel, mainLabel, history: trainingCut.comparison } : undefined),
    [comparisonLabel, mainLabel, trainingCut],
  );
  const timeAxis = useLab((s) => s.timeAxis);
  const view = useLab((s) => s.sweep.view);
  const selectedLayer = useLab((s) => s.selectedLayer);
  const eps = useLab((s) => s.config.eps);
  const layers = spectrum?.layers;
  const layerNames = useMemo(() => layers?.map((l) => l.name) ?? [], [layers]);
  const maxRanks = useMemo(() => layers?.map((l) => Math.min(...l.shape)) ?? [], [layers]);
  useShortcuts();
  const presenting = useLab((s) => s.presenting);
  const zoom = usePresentationZoom(presenting);
  const [grid, setGrid] = useState<HTMLDivElement | null>(null);
  // At least 140 px per chart: a 70 px plot under its legend and axis (less reads as a sliver).
  const chartHeight = useChartHeight(grid, CHART_HEIGHT, presenting ? PRESENTING_MIN_PLOT : 140);
  const charts = (
    <>
      <SpectrumChart layers={layers ?? []} eps={eps} selected={selectedLayer} onSelect={selectLayer} height={chartHeight}
        initial={spectrum && spectrum.step > 0 ? spectrumInitial?.layers : null} comparison={comparisonLabel !== null ? spectrumComparison?.layers : null} />
      <RankChart history={rankCut.history} comparison={rankComparison} layerNames={layerNames} maxRanks={maxRanks} timeAxis={timeAxis} height={chartHeight} />
      <TrainingChart history={trainingCut.history} comparison={trainingComparison} timeAxis={timeAxis} height={chartHeight} />
    </>
  );
  if (presenting && view === 'lab') {
    return (
      <div className="lab presenting" style={{ zoom, height: `calc(100vh / ${zoom})` }} data-testid="presentation">
        <PresentationStrip />
        <main className="main">
          <Notices />
          <div className="charts" ref={setGrid}>
            {charts}
            <NumbersPanel />
          </div>
        </main>
        <ShortcutHelp />
      </div>
    );
  }
  return (
    <div className="lab">
      <header className="top">
        <h1 title="SGD with weight decay lowers the rank of every weight matrix">RankLab</h1>
        <ViewSwitch view={view} />
        {view === 'lab' && <TransportBar />}
        {view === 'lab' && <DemoPicker />}
        {view === 'lab' && <TimeAxisToggle />}
        <span className="top-end">
          {view === 'lab' && <ExportButtons />}
          {view === 'lab' && <button type="button" className="small" onClick={() => setPresenting(true)} title="Charts filling the screen for a lecture hall (P)">Presentation mode</button>}
          <FullScreenButton />
          <ShortcutsButton />
          {view === 'lab' && <button type="button" className="small" onClick={() => lab.set({ recentOpen: true, helpOpen: false })} title="The runs this browser has kept: continue one, or compare with it">Recent runs</button>}
        </span>
      </header>
      <ShortcutHelp />
      <RecentRuns />
      <ControlsPanel />
      <main className="main">
        <Notices />
        {view === 'sweep' ? <SweepView /> : (
          <>
            <NumbersPanel />
            <div className="charts" ref={setGrid}>
              {charts}
              <MechanismPanel />
            </div>
          </>
        )}
      </main>
    </div>
  );
}
