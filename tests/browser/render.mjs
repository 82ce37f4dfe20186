// Opens a page in Debian's headless Chromium, offline, and prints what a reader would have seen, as JSON.
//
//   node render.mjs mermaid DIAGRAM.mmd MERMAID.min.js SCREENSHOT.png
//       renders a Mermaid diagram with the mermaid package loaded from disk
//   node render.mjs html REPORT.html SCREENSHOT.png
//       loads a report as it is, and measures every <svg class="chart">
//
// Every request the page makes is recorded, so the caller can check that nothing left the machine;
// any request that is not file: or data: is also aborted, so a failing check never becomes a real fetch.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const OFFLINE_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
];

async function open(profile) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: OFFLINE_FLAGS,
    viewport: { width: 900, height: 700 },
    deviceScaleFactor: 1,
  });
  const requests = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    requests.push(url);
    return url.startsWith("file:") || url.startsWith("data:") ? route.continue() : route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  return { context, page, requests, consoleErrors };
}

async function mermaid(diagramFile, mermaidJs, screenshot, work) {
  const diagram = readFileSync(diagramFile, "utf8");
  const pageFile = join(work, "mermaid.html");
  writeFileSync(
    pageFile,
    `<!doctype html><meta charset="utf-8"><body style="margin:0;background:#fff">` +
      `<div id="out"></div><script src="${pathToFileURL(mermaidJs)}"></script>`,
  );
  const { context, page, requests, consoleErrors } = await open(join(work, "profile"));
  try {
    await page.goto(pathToFileURL(pageFile).href);
    const outcome = await page.evaluate(async (text) => {
      window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
      try {
        const { svg } = await window.mermaid.render("diagram", text);
        document.getElementById("out").innerHTML = svg;
        const element = document.querySelector("#out svg");
        const box = element.getBoundingClientRect();
        return {
          ok: true,
          svg,
          box: { width: box.width, height: box.height },
          plots: element.querySelectorAll("path, rect").length,
          text: element.textContent,
        };
      } catch (error) {
        return { ok: false, error: String(error && error.message ? error.message : error) };
      }
    }, diagram);
    if (outcome.ok && screenshot) await page.locator("#out svg").screenshot({ path: screenshot });
    return { ...outcome, requests, consoleErrors };
  } finally {
    await context.close();
  }
}

async function html(reportFile, screenshot, work) {
  const { context, page, requests, consoleErrors } = await open(join(work, "profile"));
  try {
    await page.goto(pathToFileURL(reportFile).href);
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll("svg.chart")].map((svg) => {
        const box = svg.getBoundingClientRect();
        const lines = [...svg.querySelectorAll("polyline.series")].map((line) => {
          const b = line.getBBox();
          return { width: b.width, height: b.height, points: line.points.numberOfItems };
        });
        const spreads = [...svg.querySelectorAll("g.spread")].map((bar) => bar.getBBox().height);
        return { id: svg.id, box: { x: box.x, y: box.y, width: box.width, height: box.height }, lines, spreads };
      }),
    );
    const scripts = await page.evaluate(() => document.scripts.length);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return { ok: true, charts, scripts, requests, consoleErrors };
  } finally {
    await context.close();
  }
}

const [mode, ...rest] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), "tco-gate-browser-"));
try {
  const result =
    mode === "mermaid" ? await mermaid(rest[0], rest[1], rest[2], work) : await html(rest[0], rest[1], work);
  process.stdout.write(JSON.stringify(result));
} finally {
  rmSync(work, { recursive: true, force: true });
}
