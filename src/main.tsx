import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initController } from './state/controller';
import { lab } from './state/store';
import { readLink } from './core/config/link';
import { saveNow } from './state/runKeeping';
import { App } from './ui/App';
import './ui/styles.css';

// The link decides the first state; anything it got wrong is repaired and said.
const link = readLink(window.location.search);
lab.set({ config: link.config, backendChoice: link.backendChoice, compare: link.compare, presetId: link.preset, timeAxis: link.timeAxis, sweep: link.sweep, presenting: link.present });
if (link.problems.length) lab.notify('link', `This link was repaired: ${link.problems.join('; ')}.`);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void initController(link.play);
// A page being closed or hidden stores its run now (it is otherwise stored every few seconds).
window.addEventListener('pagehide', () => void saveNow());
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') void saveNow(); });

// After one visit the lab works offline: the built site's service worker caches every file
// (scripts/offlinePlugin.ts). Not in development, where files change under it.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => { /* no offline use here (file://, private mode): the lab still works */ });
  });
}
