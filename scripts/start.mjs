// `npm start [-- --lan]`: the lab's dev server at http://127.0.0.1:5173, opening it in the
// browser where there is one (a desktop session; not on a headless server). With --lan it listens
// on every network interface, so the lecture hall's machines can open it: the addresses are
// printed. (The data file and kernels are built first by `npm start` itself.)

import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const lan = args.includes('--lan');
const unknown = args.filter((a) => a !== '--lan');
if (unknown.length) {
  console.error(`start: unknown option ${unknown.join(' ')} (the one option is --lan)`);
  process.exit(2);
}
// A browser can open where there is a display (Linux) or a desktop (macOS, Windows).
const desktop = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const vite = ['vite', '--host', lan ? '0.0.0.0' : '127.0.0.1', '--port', '5173', ...(desktop ? ['--open'] : [])];
if (lan) console.log('start: serving on every network interface (--lan); anyone on this network can open the lab.');
if (!desktop) console.log('start: no display here to open a browser on: open http://127.0.0.1:5173 in one (or this machine\'s address, with --lan).');
// npx is npx.cmd on Windows, which only a shell runs.
const child = spawn('npx', vite, { stdio: 'inherit', shell: process.platform === 'win32' });
child.on('error', (e) => { console.error(`start: could not run vite: ${e.message}`); process.exit(1); });
child.on('exit', (code) => process.exit(code ?? 0));
