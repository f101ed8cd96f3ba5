// A term with a one-line explanation that appears on hover and on keyboard focus, moved sideways
// when it would run off the screen (a column header at the right edge of the mechanism table).

import { useId, useRef, type ReactNode } from 'react';

const MARGIN = 8;

export function Explained(props: { children: ReactNode; text: string; testId?: string }) {
  const id = useId();
  const tip = useRef<HTMLSpanElement>(null);
  // The tooltip shows by CSS (:hover, :focus); once it is laid out, keep it inside the window.
  const keepOnScreen = () => requestAnimationFrame(() => {
    const el = tip.current;
    if (!el) return;
    el.style.left = '';
    const box = el.getBoundingClientRect();
    if (box.width === 0) return;
    const shift = box.right > window.innerWidth - MARGIN ? window.innerWidth - MARGIN - box.right : box.left < MARGIN ? MARGIN - box.left : 0;
    if (shift) el.style.left = `${shift}px`;
  });
  return (
    <span className="explained" tabIndex={0} aria-describedby={id} data-testid={props.testId} onPointerEnter={keepOnScreen} onFocus={keepOnScreen}>
      {props.children}
      <span role="tooltip" id={id} className="explanation" ref={tip}>{props.text}</span>
    </span>
  );
}
