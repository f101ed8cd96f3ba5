// `npm start`'s own script (start.mjs), run as a person runs it: on this headless machine it
// serves the lab on 127.0.0.1 only, and says to open it by hand; --lan serves it to the network.

import { spawn, type ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.pid) try { process.kill(-child.pid); } catch { /* already gone */ }
});

/** start.mjs with `args`, as its own process group (so the vite it starts goes with it); its output collected. */
function start(args: string[]) {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const child = spawn('node', ['scripts/start.mjs', ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  const output = { text: '' };
  child.stdout!.on('data', (d) => { output.text += d; });
  child.stderr!.on('data', (d) => { output.text += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { output, exited };
}

/** Whether http://host:5173/ answers with the lab within `ms`. */
async function answers(host: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://${host}:5173/`, { signal: AbortSignal.timeout(1000) });
      if (r.ok && (await r.text()).includes('RankLab')) return true;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** This machine's first address that is not loopback (the lecture hall's machines would use it). */
const networkAddress = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('npm start (scripts/start.mjs)', () => {
  it('refuses an option it does not know, saying which', async () => {
    const { output, exited } = start(['--lane']);
    expect(await exited).toBe(2);
    expect(output.text).toContain('unknown option --lane');
  });

  it.skipIf(!networkAddress)('serves on 127.0.0.1 only, and says to open the browser by hand where there is no display; --lan serves the network', async () => {
    const local = start([]);
    expect(await answers('127.0.0.1', 30_000)).toBe(true);
    expect(local.output.text).toContain('open http://127.0.0.1:5173');
    expect(await answers(networkAddress!, 1500)).toBe(false);
    process.kill(-running.pop()!.pid!);
    await local.exited;

    const lan = start(['--lan']);
    expect(await answers(networkAddress!, 30_000)).toBe(true);
    expect(lan.output.text).toContain('every network interface');
  }, 90_000);
});
