#!/usr/bin/env node
// Build the front-end assets into static/dist/ (git-ignored, never committed).
//
//   node scripts/build-assets.mjs
//
// 1. static/src/app.scss -> static/dist/app.css (GOV.UK Frontend + MOJ Frontend, compressed)
// 2. GOV.UK Frontend's fonts and images, and MOJ Frontend's images -> static/dist/assets/
// 3. govuk-frontend.min.js and moj-frontend.min.js (ES modules) -> static/dist/
// 4. signature_pad's, Chart.js's and Leaflet's UMD builds -> static/dist/
// 5. static/src/init.js (starts both) and the other static/src files -> static/dist/
//
// Every url() in the built CSS is checked against the copied files, because
// collectstatic's manifest storage fails the deploy on a missing one.

import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "static", "src");
const dist = join(root, "static", "dist");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const moj = join(root, "node_modules", "@ministryofjustice", "frontend", "moj");
const signaturePad = join(root, "node_modules", "signature_pad", "dist");
const chartJs = join(root, "node_modules", "chart.js", "dist");
const leaflet = join(root, "node_modules", "leaflet", "dist");

function copy(from, to) {
  if (!existsSync(from)) {
    throw new Error(`Missing ${relative(root, from)}: run "npm ci" first.`);
  }
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}

function buildCss() {
  const result = sass.compile(join(src, "app.scss"), {
    style: "compressed",
    loadPaths: [root],
    // GOV.UK Frontend 5 still uses @import inside; its warnings are not ours.
    quietDeps: true,
    silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div"],
  });
  writeFileSync(join(dist, "app.css"), result.css + "\n");
  return result.css;
}

function checkCssUrls(css) {
  const missing = [];
  for (const [, quoted, bare] of css.matchAll(/url\(\s*(?:"([^"]*)"|'[^']*'|([^)]*))\s*\)/g)) {
    const url = (quoted ?? bare ?? "").trim();
    if (!url || url.startsWith("data:") || url.startsWith("#")) continue;
    const path = url.split(/[?#]/)[0];
    if (!existsSync(join(dist, path))) missing.push(url);
  }
  if (missing.length) {
    throw new Error(`app.css refers to files that were not copied: ${[...new Set(missing)].join(", ")}`);
  }
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// Assets first, so the CSS check can see them.
copy(join(govuk, "assets", "fonts"), join(dist, "assets", "fonts"));
copy(join(govuk, "assets", "images"), join(dist, "assets", "images"));
copy(join(moj, "assets", "images"), join(dist, "assets", "images"));

// Source maps travel with the scripts: the manifest storage follows their
// sourceMappingURL comments and fails if the map is missing.
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copy(join(govuk, name), join(dist, name));
}
for (const name of ["moj-frontend.min.js", "moj-frontend.min.js.map"]) {
  copy(join(moj, name), join(dist, name));
}

// signature_pad draws signatures on the MoU signing page (a UMD build: window.SignaturePad).
for (const name of ["signature_pad.umd.min.js", "signature_pad.umd.min.js.map"]) {
  copy(join(signaturePad, name), join(dist, name));
}

// Chart.js draws the dashboards' charts (a UMD build: window.Chart); every chart also has a table.
for (const name of ["chart.umd.min.js", "chart.umd.min.js.map"]) {
  copy(join(chartJs, name), join(dist, name));
}

// Leaflet draws the local-crime map (a UMD build: window.L); its CSS refers to images/.
// No tiles come with it: the tile server is a setting, none by default (nothing from the internet).
for (const name of ["leaflet.js", "leaflet.js.map", "leaflet.css"]) {
  copy(join(leaflet, name), join(dist, "leaflet", name));
}
copy(join(leaflet, "images"), join(dist, "leaflet", "images"));

// The project's own scripts and files (init.js, favicon); Sass sources stay behind.
for (const name of readdirSync(src)) {
  if (!name.endsWith(".scss")) copy(join(src, name), join(dist, name));
}

checkCssUrls(buildCss());

console.log(`Built ${relative(root, dist)}/: app.css, init.js, GOV.UK Frontend, MOJ Frontend, signature_pad, Chart.js and Leaflet.`);
