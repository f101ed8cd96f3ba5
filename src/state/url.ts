// The share link: the whole configuration (and whether to play) in the URL query,
// rewritten with history.replaceState as settings change, so the address bar is
// always a link to exactly what is on screen.

import { configFromQuery, configToQuery } from '../core/config/query';
import type { Config } from '../core/config/fields';
import { BACKEND_CHOICES, type BackendChoice } from '../worker/protocol';

export interface LinkState {
  config: Config;
  backendChoice: BackendChoice;
  play: boolean;
  /** Human-readable list of what had to be repaired in the link (empty for a clean link). */
  problems: string[];
}

export function readLink(search: string): LinkState {
  const parsed = configFromQuery(search);
  const problems = parsed.problems.map((p) => p.message);
  let backendChoice: BackendChoice = 'auto';
  if (parsed.backend !== null) {
    if ((BACKEND_CHOICES as readonly string[]).includes(parsed.backend)) backendChoice = parsed.backend as BackendChoice;
    else problems.push(`backend: ${JSON.stringify(parsed.backend.slice(0, 20))} is not one of ${BACKEND_CHOICES.join(', ')}; using auto`);
  }
  return { config: parsed.config, backendChoice, play: parsed.play, problems };
}

export function linkQuery(config: Config, backendChoice: BackendChoice, play: boolean): string {
  const query = configToQuery(config, { play });
  return backendChoice === 'auto' ? query : `${query}&backend=${backendChoice}`;
}

export function linkUrl(config: Config, backendChoice: BackendChoice, play: boolean): string {
  return `${window.location.origin}${window.location.pathname}?${linkQuery(config, backendChoice, play)}`;
}

export function writeLink(config: Config, backendChoice: BackendChoice, play: boolean): void {
  const query = `?${linkQuery(config, backendChoice, play)}`;
  if (window.location.search !== query) window.history.replaceState(null, '', query);
}
