// The HTML report in a real browser (issue 18): Debian's headless Chromium opens it from disk
// (file://, no server) with no console error, no failed or outside request, every chart drawn
// with its lines, and a screenshot that shows them. Skips when /usr/bin/chromium is absent.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeReportFiles } from "../src/node/report-files.js";
import { chartSpecs } from "../src/sim/report/index.js";
import { reportFixture } from "./helpers/report-fixture.js";
import { chromiumMissing, decodePng, withPage } from "./helpers/browser.js";

const missing = chromiumMissing();

test("the HTML report opens from disk in headless Chromium with no error, and its screenshot shows the charts", {
  skip: missing,
}, async (t) => {
  const directory = mkdtempSync(join(tmpdir(), "dataplane-report-"));
  const fixture = reportFixture(90);
  const { html } = await writeReportFiles(directory, fixture);
  const url = pathToFileURL(html).href;
  const screenshot = join(directory, "report.png");
  await withPage(url, async (page, log) => {
    const figures = await page.locator("figure").count();
    assert.equal(figures, chartSpecs(fixture).length);
    // Every chart is laid out with a size, and has its line marks and axes.
    for (let i = 0; i < figures; i++) {
      const figure = page.locator("figure").nth(i);
      const box = await figure.locator("svg").boundingBox();
      assert.ok(box !== null && box.width > 300 && box.height > 150, `figure ${i} is laid out: ${JSON.stringify(box)}`);
      assert.ok((await figure.locator("g.mark-line path").count()) >= 1, `figure ${i} has lines`);
      assert.ok((await figure.locator("g.mark-group.role-axis").count()) >= 2, `figure ${i} has axes`);
    }
    const first = page.locator("figure").first();
    await first.scrollIntoViewIfNeeded();
    const shot = await page.screenshot({ path: screenshot, fullPage: true });
    // The screenshot shows vega's first series colour (#4c78a8) on many pixels: the lines are drawn.
    const image = decodePng(shot);
    let blue = 0;
    for (let p = 0; p < image.width * image.height; p++) {
      const [r, g, b] = [image.pixels[p * 4]!, image.pixels[p * 4 + 1]!, image.pixels[p * 4 + 2]!];
      if (Math.abs(r - 0x4c) < 24 && Math.abs(g - 0x78) < 24 && Math.abs(b - 0xa8) < 24) blue++;
    }
    assert.ok(blue > 2000, `${blue} pixels of the first series colour in a ${image.width}×${image.height} screenshot`);
    assert.deepEqual(log.consoleErrors, []);
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(log.failedRequests, []);
    assert.deepEqual(log.requests, [url], "the page fetched nothing but itself");
  });
  t.diagnostic(`screenshot: ${screenshot}`);
});

test("the browser harness reports console errors and outside requests (negative control)", { skip: missing }, async () => {
  const directory = mkdtempSync(join(tmpdir(), "dataplane-report-"));
  const page = join(directory, "bad.html");
  writeFileSync(
    page,
    `<!doctype html><html><body><img src="http://127.0.0.1:9/x.png"><script>console.error("boom"); undefinedFunction();</script></body></html>`,
  );
  await withPage(pathToFileURL(page).href, async (_page, log) => {
    assert.deepEqual(
      log.consoleErrors.filter((e) => e === "boom"),
      ["boom"],
    );
    assert.equal(log.pageErrors.length, 1);
    assert.ok(log.requests.some((r) => r.startsWith("http://127.0.0.1:9/")));
  });
});

test("the codered scenario's report opens in headless Chromium with every chart drawn and no error", { skip: missing }, async (t) => {
  const { runCodeRed } = await import("../src/sim/scenarios/codered.js");
  const { result } = runCodeRed({
    seconds: 30,
    servers: 100,
    upstreamRoutes: 50_000,
    establishedPacketsPerSecond: 200,
    establishedFlows: 100,
  });
  const directory = mkdtempSync(join(tmpdir(), "dataplane-codered-report-"));
  const { html } = await writeReportFiles(directory, result);
  const url = pathToFileURL(html).href;
  const screenshot = join(directory, "codered.png");
  await withPage(url, async (page, log) => {
    const figures = await page.locator("figure").count();
    assert.equal(figures, chartSpecs(result).length);
    // ARP, free memory and loss compare the variants; memory and CPU are one chart per variant.
    assert.ok(figures >= 2 + 2 * result.variants.length, `${figures} charts`);
    for (let i = 0; i < figures; i++) {
      const figure = page.locator("figure").nth(i);
      assert.ok((await figure.locator("g.mark-line path").count()) >= 1, `figure ${i} has lines`);
    }
    assert.equal(await page.locator("table.summary tr").count(), result.variants.length + 1);
    // The summary's many columns scroll inside their box: in a narrow window the page itself
    // does not scroll sideways.
    await page.setViewportSize({ width: 800, height: 900 });
    const [scrollWidth, clientWidth] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      document.documentElement.clientWidth,
    ]);
    assert.ok(scrollWidth! <= clientWidth!, `the page is ${scrollWidth} px wide in a ${clientWidth} px window`);
    await page.setViewportSize({ width: 1200, height: 900 });
    assert.ok((await page.locator("details").count()) >= result.variants.length * 4, "the IOS displays are in the page");
    await page.screenshot({ path: screenshot, fullPage: true });
    assert.deepEqual(log.consoleErrors, []);
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(log.failedRequests, []);
    assert.deepEqual(log.requests, [url], "the page fetched nothing but itself");
  });
  t.diagnostic(`screenshot: ${screenshot}`);
});
