/**
 * Parses every ```mermaid block of the given Markdown files with Mermaid's own parser (the `mermaid` package, as
 * GitHub's renderer uses it), in Node: jsdom gives DOMPurify, which Mermaid's parser calls, the DOM it needs.
 *
 *   node scripts/mermaid-check.mjs README.md [more.md ...]
 *   node scripts/mermaid-check.mjs --svg docs/diagrams/*.svg     each file well-formed SVG (XML), as an image needs
 *
 * Prints one JSON line: [{ file, line, ok, diagramType?, error? }] for each block (or file), and exits 1 when any
 * does not parse (test/diagrams-render.test.ts runs it). ES module: Mermaid ships as ESM only, and jsdom's
 * dependencies too, which is why this runs outside jest.
 */
import * as fs from 'node:fs';
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('');
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

/** The Mermaid blocks of a Markdown text, with the line each starts on (1-based, the fence's line). */
export function mermaidBlocks(text) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```mermaid') {
      continue;
    }
    const start = i;
    const body = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) {
      body.push(lines[i]);
    }
    blocks.push({ line: start + 1, source: body.join('\n') });
  }
  return blocks;
}

/** The text nodes under an element, each on its own. */
function textNodes(element) {
  const walker = element.ownerDocument.createTreeWalker(element, window.NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    texts.push(node.textContent);
  }
  return texts;
}

const svg = process.argv[2] === '--svg';
const files = process.argv.slice(svg ? 3 : 2);
if (files.length === 0) {
  console.error('usage: node scripts/mermaid-check.mjs FILE.md [...] | --svg FILE.svg [...]');
  process.exit(2);
}
const results = [];
for (const file of svg ? [] : files) {
  for (const block of mermaidBlocks(fs.readFileSync(file, 'utf8'))) {
    try {
      const parsed = await mermaid.parse(block.source);
      results.push({ file, line: block.line, ok: true, diagramType: parsed.diagramType });
    } catch (error) {
      results.push({ file, line: block.line, ok: false, error: String(error?.message ?? error) });
    }
  }
}
for (const file of svg ? files : []) {
  const doc = new window.DOMParser().parseFromString(fs.readFileSync(file, 'utf8'), 'image/svg+xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  const root = doc.documentElement.tagName;
  results.push(error !== undefined || root !== 'svg'
    ? { file, ok: false, error: error !== undefined ? error.textContent : `the root element is ${root}, not svg` }
    : {
      file,
      ok: true,
      width: Number(doc.documentElement.getAttribute('width')),
      // what a viewer reads: the labels' text (SVG <text>, or HTML in <foreignObject> where a diagram uses it)
      // (each text node apart: Mermaid puts a label's lines in sibling <tspan>s with nothing between them)
      text: [...doc.querySelectorAll('text, foreignObject')].flatMap((e) => textNodes(e)).join(' '),
      foreignObjects: doc.getElementsByTagName('foreignObject').length,
    });
}
console.log(JSON.stringify(results));
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
