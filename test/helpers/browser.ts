// Headless Chromium for tests: Debian's `chromium` (installed by .ci/run) driven by
// playwright-core, which downloads no browser of its own. A test calls `chromiumMissing()` and
// skips with its message when the browser is absent; otherwise `withPage` opens a page that
// records console errors, page errors and every network request, and closes it afterwards.

import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { inflateSync } from "node:zlib";
import { chromium, type Browser, type Page } from "playwright-core";

/** Where Debian installs the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";
/** Flags that keep the browser from calling home or doing background work during tests. */
export const CHROMIUM_ARGS = [
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Why browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} is absent (apt-get install chromium; .ci/run does)`;
}

/** Launches the headless browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** What a page did while it was open. */
export interface PageLog {
  /** `console.error` messages. */
  consoleErrors: string[];
  /** Uncaught exceptions. */
  pageErrors: string[];
  /** Every URL the page requested (the document itself included). */
  requests: string[];
  /** Requests that failed. */
  failedRequests: string[];
}

/** Opens `url` in a fresh page, runs `use`, and closes the page (and the browser it launched). */
export async function withPage<T>(
  url: string,
  use: (page: Page, log: PageLog) => Promise<T>,
  options: { width?: number; height?: number } = {},
): Promise<T> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1200, height: options.height ?? 900 } });
    const log: PageLog = { consoleErrors: [], pageErrors: [], requests: [], failedRequests: [] };
    page.on("console", (m) => {
      if (m.type() === "error") log.consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => log.pageErrors.push(String(e)));
    page.on("request", (r) => log.requests.push(r.url()));
    page.on("requestfailed", (r) => log.failedRequests.push(`${r.url()}: ${r.failure()?.errorText ?? "failed"}`));
    await page.goto(url, { waitUntil: "load" });
    return await use(page, log);
  } finally {
    await browser.close();
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".css": "text/css",
};

/** Serves `directory` on 127.0.0.1 (a free port), for pages file:// cannot load (modules, fetch). */
export async function serveDirectory(directory: string): Promise<{ url: string; close: () => Promise<void> }> {
  const root = normalize(directory + sep);
  const server = createServer(async (request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)));
    if (!path.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(path);
      response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(() => done())) };
}

/** A decoded PNG (8-bit RGB or RGBA, not interlaced: what Chromium's screenshots are). */
export interface Image {
  width: number;
  height: number;
  /** RGBA, row by row. */
  pixels: Uint8Array;
}

/** Decodes a screenshot, to check what it shows. */
export function decodePng(png: Uint8Array): Image {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0,
    height = 0,
    channels = 0;
  const data: Uint8Array[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const chunk = png.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const colorType = chunk[9]!;
      if (chunk[8] !== 8 || (colorType !== 2 && colorType !== 6) || chunk[12] !== 0)
        throw new Error(`unsupported PNG (depth ${chunk[8]}, colour type ${colorType}, interlace ${chunk[12]})`);
      channels = colorType === 6 ? 4 : 3;
    } else if (type === "IDAT") data.push(chunk);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels]! : 0,
        b = previous[x]!,
        c = x >= channels ? previous[x - channels]! : 0;
      const p = a + b - c,
        pa = Math.abs(p - a),
        pb = Math.abs(p - b),
        pc = Math.abs(p - c);
      const predictor =
        filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      row[x] = (line[x]! + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      out.set(
        [row[x * channels]!, row[x * channels + 1]!, row[x * channels + 2]!, channels === 4 ? row[x * channels + 3]! : 255],
        (y * width + x) * 4,
      );
    }
    previous = row;
  }
  return { width, height, pixels: out };
}
