// The charts' plot height from the room their grid has: two rows of chart cards fill what the
// screen leaves them (a 1280x720 projector as well as a 1920x1080 one) instead of a fixed height.
// A card's chrome (title, legend, caption) is measured, not assumed: legends and captions wrap
// on narrow screens and with long comparison labels.

import { useLayoutEffect, useRef, useState } from 'react';

const ROW_GAP = 8;

/**
 * Screens too small for the lab's two columns of filled rows: 150% zoom on a 1280x720 laptop
 * (853 x 480 CSS px), small windows. There the page scrolls as a whole and the charts stand one
 * under another at SCROLLING_HEIGHT (styles.css has the same query; presentation mode, laid out
 * for 853 x 480 and zoomed, keeps its own layout).
 */
const NARROW_LAYOUT = '(max-width: 1000px), (max-height: 560px)';

/** A plot height to scroll through when the screen has no room for `min`: squeezed lower, a plot is unreadable. */
const SCROLLING_HEIGHT = 200;

/**
 * Plot height for the chart cards (sections whose test id ends in "-chart") in `grid` (an element
 * from a callback ref, so a grid mounted again, after the Sweeps view, is measured again): what
 * fills its two rows, if that is at least `min`; else SCROLLING_HEIGHT and the grid scrolls
 * (150% zoom on a laptop). The cards must not stretch to their row (CSS align-self: start), so
 * that a card's height minus its plot's is its chrome.
 */
export function useChartHeight(grid: HTMLElement | null, fallback: number, min: number): number {
  const [height, setHeight] = useState(fallback);
  const current = useRef(height);
  current.current = height;
  useLayoutEffect(() => {
    if (!grid) return;
    const cards = () => [...grid.querySelectorAll<HTMLElement>('section[data-testid$="-chart"]')];
    const measure = () => {
      if (window.matchMedia(NARROW_LAYOUT).matches && !grid.closest('.presenting')) {
        if (current.current !== SCROLLING_HEIGHT) setHeight(SCROLLING_HEIGHT);
        return;
      }
      const room = grid.clientHeight;
      const all = cards();
      if (room <= 0 || all.length === 0) return;
      const chrome = Math.max(...all.map((c) => c.offsetHeight - current.current));
      const fill = Math.floor((room - ROW_GAP) / 2 - chrome) - 2; // 2 px for rounding of zoomed layouts
      const next = fill >= min ? fill : Math.max(min, SCROLLING_HEIGHT);
      if (next !== current.current) setHeight(next);
    };
    measure();
    // The grid for the room; the cards for their chrome (a legend or caption that wraps).
    const observer = new ResizeObserver(measure);
    observer.observe(grid);
    for (const card of cards()) observer.observe(card);
    return () => observer.disconnect();
  }, [grid, min]);
  return height;
}
