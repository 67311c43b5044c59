/**
 * Renders every README diagram in a real browser, as a reader's browser does, and writes each as an SVG into
 * docs/diagrams/ (linked under each diagram, for viewers that do not render Mermaid, such as the npm registry's
 * package page). The browser is Debian's headless Chromium (`apt-get install chromium`, or CHROMIUM=path), the
 * renderer the `mermaid` package from npm, loaded from node_modules by a file:// page: nothing leaves the machine.
 *
 *   npx projen diagrams:render                 render README.md's diagrams into docs/diagrams/*.svg
 *   npx projen diagrams:render -- --png DIR    also write a PNG screenshot of each diagram into DIR, to look at
 *   npx projen diagrams:render -- --force      render every diagram, also those whose SVG is current
 *
 * A diagram the browser's Mermaid refuses fails the task, naming it, as does an SVG file the browser cannot draw
 * as an image. Each SVG starts with a comment holding the
 * SHA-256 of its Mermaid source; test/diagrams-render.test.ts fails when a README diagram has no SVG or its SVG
 * was rendered from another source (run this task after `npx projen diagrams`).
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { blockDiagrams, readmeBlock, svgFile, SVG_DIR } from './diagrams';

const ROOT = path.resolve(__dirname, '..');

/**
 * Mermaid settings for the SVG files: labels as SVG text, not HTML in <foreignObject>, so that renderers other
 * than browsers (librsvg, Inkscape, image tools) draw them too. Mermaid 11 reads the root-level `htmlLabels`;
 * the per-diagram `flowchart.htmlLabels` is deprecated and overridden by it (config.type.d.ts).
 */
const MERMAID_CONFIG = { startOnLoad: false, securityLevel: 'strict', theme: 'default', htmlLabels: false };

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The Mermaid release the SVGs are rendered with (the one installed from the lock file). */
function mermaidVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('mermaid/package.json') as { version: string }).version;
}

/**
 * The comment an SVG starts with: what it was rendered from (the Mermaid source's hash), by which Mermaid
 * release and with which settings. A different line means the SVG is stale.
 */
export function sourceComment(source: string): string {
  return `<!-- rendered by npx projen diagrams:render from README.md with mermaid ${mermaidVersion()}, settings sha256 ${sha256(JSON.stringify(MERMAID_CONFIG)).slice(0, 16)}; Mermaid source sha256 ${sha256(source)} -->`;
}

function chromium(): string {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((c): c is string => c !== undefined && c !== '' && fs.existsSync(c));
  if (found === undefined) {
    throw new Error('diagrams:render needs a headless Chromium: `apt-get install chromium` (Debian), or set CHROMIUM to its path');
  }
  return found;
}

function runChromium(args: string[]): string {
  return execFileSync(chromium(), [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--allow-file-access-from-files',
    '--virtual-time-budget=60000', ...args,
  ], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'], timeout: 180_000 });
}

/** A page that renders the diagrams with Mermaid and leaves each SVG (base64) or error in a <pre>. */
function page(dir: string, sources: string[]): string {
  const file = path.join(dir, `page-${crypto.randomUUID()}.html`);
  fs.writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8">
<style>body { margin: 16px; background: #fff; } pre.out { display: none; }</style>
<script src="mermaid.min.js"></script></head><body>
<script>
const sources = ${JSON.stringify(sources)};
mermaid.initialize(${JSON.stringify(MERMAID_CONFIG)});
(async () => {
  for (let i = 0; i < sources.length; i++) {
    const out = document.createElement('pre');
    out.className = 'out';
    out.id = 'out-' + i;
    try {
      const { svg } = await mermaid.render('diagram-' + i, sources[i]);
      // Mermaid returns HTML serialization (e.g. <br> unclosed): re-serialize as XML, which an SVG file must be,
      // with the viewBox's size instead of width 100%, so that an <img> of the file has its natural size.
      const holder = document.createElement('div');
      holder.innerHTML = svg;
      const element = holder.querySelector('svg');
      const box = element.viewBox.baseVal;
      element.setAttribute('width', String(Math.ceil(box.width)));
      element.setAttribute('height', String(Math.ceil(box.height)));
      element.style.removeProperty('max-width');
      const xml = new XMLSerializer().serializeToString(element);
      out.textContent = 'SVG ' + btoa(unescape(encodeURIComponent(xml)));
    } catch (e) {
      out.textContent = 'ERROR ' + (e && e.message ? e.message : String(e));
    }
    document.body.appendChild(out);
  }
  document.body.setAttribute('data-done', 'yes');
})();
</script></body></html>`);
  return `file://${file}`;
}

/** Renders Mermaid sources in the browser: the SVG text of each, or throws naming the ones it refused. */
export function renderInBrowser(diagrams: Array<{ title: string; source: string }>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diagrams-render-'));
  try {
    fs.copyFileSync(require.resolve('mermaid/dist/mermaid.min.js'), path.join(dir, 'mermaid.min.js'));
    const dom = runChromium(['--dump-dom', page(dir, diagrams.map((d) => d.source))]);
    if (!dom.includes('data-done="yes"')) {
      throw new Error('the browser did not finish rendering the diagrams (raise --virtual-time-budget?)');
    }
    const failures: string[] = [];
    const svgs = diagrams.map((diagram, i) => {
      const match = new RegExp(`<pre class="out" id="out-${i}">(SVG|ERROR) ([^<]*)</pre>`).exec(dom);
      if (match === null || match[1] === 'ERROR') {
        failures.push(`${diagram.title}: ${match === null ? 'no result' : match[2]}`);
        return '';
      }
      return Buffer.from(match[2], 'base64').toString('utf8');
    });
    if (failures.length > 0) {
      throw new Error(`Mermaid in the browser refused ${failures.length} diagram(s):\n${failures.join('\n')}`);
    }
    return svgs;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Loads each written SVG file as an <img>, as GitHub and the npm registry show it: the names of the files the
 * browser could not draw (an SVG that is not well-formed XML, for one, draws nothing as an image).
 */
export function imagesNotDrawn(files: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diagrams-img-'));
  try {
    const file = path.join(dir, 'images.html');
    fs.writeFileSync(file, `<!doctype html><html><body>
${files.map((f, i) => `<img id="img-${i}" src="file://${f}">`).join('\n')}
<script>
window.addEventListener('load', () => {
  const bad = [...document.images].filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.id);
  document.body.setAttribute('data-not-drawn', JSON.stringify(bad));
});
</script></body></html>`);
    const dom = runChromium(['--dump-dom', `file://${file}`]);
    const match = /data-not-drawn="([^"]*)"/.exec(dom);
    if (match === null) {
      throw new Error('the browser did not finish loading the SVG files');
    }
    const ids: string[] = JSON.parse(match[1].replace(/&quot;/g, '"'));
    return ids.map((id) => files[Number(id.replace('img-', ''))]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A PNG screenshot of one SVG file shown as an image, as a README viewer shows it. */
function screenshot(svg: string, file: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diagrams-shot-'));
  try {
    const html = path.join(dir, 'shot.html');
    fs.writeFileSync(html, `<!doctype html><html><body style="margin: 16px; background: #fff"><img src="file://${svg}"></body></html>`);
    runChromium([`--screenshot=${file}`, '--window-size=2600,2400', '--hide-scrollbars', `file://${html}`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(args: string[]): void {
  const all = blockDiagrams(readmeBlock());
  if (all.length === 0) {
    throw new Error('README.md has no diagrams between its diagram markers: run `npx projen diagrams` first');
  }
  // Layout coordinates differ slightly from one browser run to the next: a diagram whose SVG was rendered from
  // the same source, Mermaid release and settings is left as it is (`-- --force` renders every one).
  const current = (d: { title: string; source: string }) => {
    const file = path.join(ROOT, svgFile(d.title));
    return fs.existsSync(file) && fs.readFileSync(file, 'utf8').split('\n')[0] === sourceComment(d.source);
  };
  const diagrams = args.includes('--force') ? all : all.filter((d) => !current(d));
  if (diagrams.length > 0) {
    const svgs = renderInBrowser(diagrams);
    fs.mkdirSync(path.join(ROOT, SVG_DIR), { recursive: true });
    diagrams.forEach((diagram, i) => {
      fs.writeFileSync(path.join(ROOT, svgFile(diagram.title)), `${sourceComment(diagram.source)}\n${svgs[i]}\n`);
    });
  }
  const wanted = new Set(all.map((d) => path.basename(svgFile(d.title))));
  for (const stale of fs.readdirSync(path.join(ROOT, SVG_DIR))) {
    if (stale.endsWith('.svg') && !wanted.has(stale)) {
      fs.rmSync(path.join(ROOT, SVG_DIR, stale));
    }
  }
  const notDrawn = imagesNotDrawn(all.map((d) => path.join(ROOT, svgFile(d.title))));
  if (notDrawn.length > 0) {
    throw new Error(`the browser could not draw these SVG files as images:\n${notDrawn.join('\n')}`);
  }
  console.log(`diagrams:render: ${diagrams.length} of ${all.length} diagrams rendered in ${path.basename(chromium())} into ${SVG_DIR}/ (the others were current); all drawn as images`);
  const png = args.indexOf('--png');
  if (png >= 0) {
    const dir = path.resolve(args[png + 1] ?? 'diagram-screenshots');
    fs.mkdirSync(dir, { recursive: true });
    for (const diagram of all) {
      screenshot(path.join(ROOT, svgFile(diagram.title)), path.join(dir, `${path.basename(svgFile(diagram.title), '.svg')}.png`));
    }
    console.log(`diagrams:render: screenshots in ${dir}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2));
}
