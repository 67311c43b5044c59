import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/** Every .ts file under src/. */
function sources(dir = path.join(ROOT, 'src')): Array<{ file: string; text: string }> {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return sources(full);
    }
    return entry.name.endsWith('.ts') ? [{ file: path.relative(ROOT, full), text: fs.readFileSync(full, 'utf8') }] : [];
  });
}

/** A string literal starting at `i` (quote or template; `${...}` becomes …), and where it ends. */
function literal(s: string, start: number): { value: string; end: number } {
  const quote = s[start];
  let out = '';
  let i = start + 1;
  while (s[i] !== quote) {
    if (s[i] === '\\') {
      out += s[i + 1];
      i += 2;
    } else if (quote === '`' && s.startsWith('${', i)) {
      let depth = 1;
      i += 2;
      while (depth > 0) {
        if (s[i] === '`') {
          i = literal(s, i).end;
          continue;
        }
        depth += s[i] === '{' ? 1 : s[i] === '}' ? -1 : 0;
        i++;
      }
      out += '…';
    } else {
      out += s[i++];
    }
  }
  return { value: out, end: i + 1 };
}

/** The messages of every synth-time validation error in src/. */
function validationMessages(): Array<{ file: string; message: string }> {
  const found: Array<{ file: string; message: string }> = [];
  for (const { file, text } of sources()) {
    for (const match of text.matchAll(/(?:\bfail\([a-zA-Z_.]+, |problems\.push\()\s*/g)) {
      const at = match.index! + match[0].length;
      if (['\'', '`', '"'].includes(text[at])) {
        found.push({ file, message: literal(text, at).value });
      }
    }
  }
  return found;
}

describe('docs/VALIDATION.md', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'VALIDATION.md'), 'utf8');

  test('lists every validation error message in src/', () => {
    const messages = validationMessages();
    expect(messages.length).toBeGreaterThan(100);
    // The longest fixed part of each message must appear in the table.
    const missing = messages.filter(({ message }) => {
      const fixed = message.split('…').map((part) => part.trim()).sort((a, b) => b.length - a.length)[0];
      return !doc.includes(fixed);
    });
    expect(missing).toEqual([]);
  });

  test('lists every prop checked by the shared range and name helpers', () => {
    const props = sources().flatMap(({ text }) => [...text.matchAll(/validate(?:Integer|Seconds|Name)\(this, '([^']+)'/g)].map((m) => m[1]));
    expect(props.length).toBeGreaterThan(20);
    expect(props.filter((prop) => !doc.includes(`${prop} must`))).toEqual([]);
  });
});

describe('SECURITY.md', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'SECURITY.md'), 'utf8');

  test('names every rule the constructs acknowledge', () => {
    const rules = new Set(sources().flatMap(({ text }) => [
      ...[...text.matchAll(/(?:AwsSolutions|Serverless|NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321)-([A-Za-z]+[0-9]*)/g)].map((m) => m[1]),
      ...[...text.matchAll(/inPacks\('([A-Za-z0-9]+)'/g)].map((m) => m[1]),
    ]));
    expect(rules.size).toBeGreaterThan(10);
    expect([...rules].filter((rule) => !doc.includes(rule))).toEqual([]);
  });
});
