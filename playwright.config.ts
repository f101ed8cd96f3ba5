import { defineConfig } from '@playwright/test';

// System Chromium (Debian's package): Playwright's own browser download cannot run here.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const quietFlags = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// WebGPU without a GPU: Vulkan on SwiftShader.
const webgpuFlags = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--disable-vulkan-surface', '--enable-unsafe-swiftshader'];

// Playwright gives every launch a fresh temporary profile (the --user-data-dir the machine notes ask for).
const launch = (extra: string[]) => ({ executablePath: chromium, args: [...quietFlags, ...extra] });

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL: 'http://127.0.0.1:4173', trace: 'off' },
  webServer: {
    command: 'npx vite preview --host 127.0.0.1 --port 4173 --strictPort',
    url: 'http://127.0.0.1:4173',
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
  projects: [
    { name: 'chromium-webgpu-flags', use: { launchOptions: launch(webgpuFlags) } },
  ],
});
