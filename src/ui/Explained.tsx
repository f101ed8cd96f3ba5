// A term with a one-line explanation that appears on hover and on keyboard focus.

import { useId, type ReactNode } from 'react';

export function Explained(props: { children: ReactNode; text: string; testId?: string }) {
  const id = useId();
  return (
    <span className="explained" tabIndex={0} aria-describedby={id} data-testid={props.testId}>
      {props.children}
      <span role="tooltip" id={id} className="explanation">{props.text}</span>
    </span>
  );
}
