// The charts' plot height from the room their grid has: two rows of chart cards fill what the
// screen leaves them (a 1280x720 projector as well as a 1920x1080 one) instead of a fixed height.
// A card's chrome (title, legend, caption) is measured, not assumed: legends wrap on narrow
// screens and long comparison labels.

import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

const ROW_GAP = 8;

/** A plot height to scroll through when the screen has no room for `min`: squeezed lower, a plot is unreadable. */
const SCROLLING_HEIGHT = 200;

/**
 * Plot height for the chart cards (sections whose test id ends in "-chart") in `grid`: what fills
 * its two rows, if that is at least `min`; else SCROLLING_HEIGHT and the grid scrolls (150% zoom
 * on a laptop).
 */
export function useChartHeight(grid: RefObject<HTMLElement | null>, fallback: number, min: number): number {
  const [height, setHeight] = useState(fallback);
  const current = useRef(height);
  current.current = height;
  useLayoutEffect(() => {
    const el = grid.current;
    if (!el) return;
    const measure = () => {
      const room = el.clientHeight;
      const cards = [...el.querySelectorAll<HTMLElement>('section[data-testid$="-chart"]')];
      if (room <= 0 || cards.length === 0) return;
      const chrome = Math.max(...cards.map((c) => c.offsetHeight - current.current));
      const fill = Math.floor((room - ROW_GAP) / 2 - chrome) - 2; // 2 px for rounding of zoomed layouts
      const next = fill >= min ? fill : Math.max(min, SCROLLING_HEIGHT);
      if (next !== current.current) setHeight(next);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [grid, min]);
  return height;
}
