// One keydown listener for the page: the key's action from the registry (actions.ts), if any.

import { useEffect } from 'react';
import { actionFor } from './actions';

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = actionFor(e);
      if (!action) return;
      e.preventDefault(); // Space would scroll the page, '?' would type into nothing
      action.perform(e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
