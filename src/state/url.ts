// The address bar: always a link to exactly what is on screen (history.replaceState as settings
// change), written by the one link codec, src/core/config/link.ts.

import { linkQuery, type LinkContent } from '../core/config/link';

export function linkUrl(l: LinkContent): string {
  return `${window.location.origin}${window.location.pathname}?${linkQuery(l)}`;
}

export function writeLink(l: LinkContent): void {
  const query = `?${linkQuery(l)}`;
  if (window.location.search !== query) window.history.replaceState(null, '', query);
}
