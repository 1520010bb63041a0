#!/usr/bin/env node
// Mozilla Readability as a baseline: every .html/.htm page of IN_DIR -> OUT_DIR/NAME.txt, the
// article's title line first, then one paragraph per line (block elements of the article's
// content end a line, as decruft's text output does, so the token scorer sees the same words).
//
// usage: node bench/baseline/readability.js IN_DIR OUT_DIR [--no-title]
// Modules: `npm install` in bench/baseline, or NODE_PATH pointing at a node_modules that holds
// @mozilla/readability and jsdom.
"use strict";
const fs = require("fs");
const path = require("path");
const { JSDOM, VirtualConsole } = require("jsdom");
const { Readability } = require("@mozilla/readability");

const BLOCK = new Set(["P", "DIV", "H1", "H2", "H3", "H4", "H5", "H6", "LI", "UL", "OL", "DL", "DD", "DT",
  "BLOCKQUOTE", "PRE", "TABLE", "TR", "TD", "TH", "SECTION", "ARTICLE", "FIGURE", "FIGCAPTION",
  "HEADER", "FOOTER", "MAIN", "ASIDE", "NAV", "BR", "HR"]);

function text_of(node, out) {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3) {
      out.push(c.nodeValue);
    } else if (c.nodeType === 1) {
      const block = BLOCK.has(c.tagName);
      if (block) out.push("\n");
      text_of(c, out);
      if (block) out.push("\n");
    }
  }
}

function main() {
  const args = process.argv.slice(2).filter((a) => a !== "--no-title");
  const with_title = !process.argv.includes("--no-title");
  const [in_dir, out_dir] = args;
  if (!in_dir || !out_dir) {
    console.error("usage: readability.js IN_DIR OUT_DIR");
    process.exit(2);
  }
  fs.mkdirSync(out_dir, { recursive: true });
  const quiet = new VirtualConsole();
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (const name of fs.readdirSync(in_dir).sort()) {
    if (!/\.html?$/i.test(name)) continue;
    const raw = fs.readFileSync(path.join(in_dir, name));
    bytes += raw.length;
    let lines = [];
    try {
      const dom = new JSDOM(raw, { url: "https://example.com/" + name, virtualConsole: quiet });
      const article = new Readability(dom.window.document).parse();
      if (article) {
        if (with_title && article.title) lines.push(article.title);
        const body = new JSDOM("<body>" + (article.content || "") + "</body>", { virtualConsole: quiet });
        const out = [];
        text_of(body.window.document.body, out);
        lines = lines.concat(out.join("").split("\n"));
      }
    } catch (e) {
      console.error(`readability.js: ${name}: ${e.message}`);
    }
    lines = lines.map((l) => l.replace(/\s+/g, " ").trim()).filter((l) => l.length);
    fs.writeFileSync(path.join(out_dir, name.replace(/\.html?$/i, ".txt")), lines.join("\n") + "\n");
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.error(`readability.js: ${(bytes / 1e6).toFixed(1)} MB in ${secs.toFixed(1)} s`);
}

main();
