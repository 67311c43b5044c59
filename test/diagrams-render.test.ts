import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { TEST_ENV } from './util';
import {
  AssemblyFlow, blockDiagrams, buildGraph, CONSTRUCT_DIAGRAMS, END, escapeMermaid, FlowGraph, mermaidProblems,
  promisedNodeProblems, readAssemblyFlow, readmeBlock, renderAssembly, renderBlock, renderMermaid, REPO_BLOB, REPO_RAW, START,
  SVG_DIR, svgFile,
} from '../scripts/diagrams';
import { sourceComment } from '../scripts/diagrams-render';
import { listExamples } from '../scripts/synth-examples';
import { FanOutTopic, HubTransitGateway } from '../src';
import { FLOW_NODE_KINDS, FlowFragment } from '../src/core/private/flow';

/** A graph by hand: two stacks, a group, a cross-stack edge and a dead-letter edge. */
function smallGraph(): FlowGraph {
  return {
    stacks: new Map([['A', 'Alpha'], ['B', 'Beta']]),
    nodes: new Map([
      ['A/T/Topic', { id: 'A/T/Topic', kind: 'topic', label: 'Orders "EU"', stack: 'A' }],
      ['B/Q/Queue', { id: 'B/Q/Queue', kind: 'queue', label: 'Jobs', detail: 'FIFO', stack: 'B', group: 'B/Vpc' }],
      ['B/Q/DeadLetterQueue', { id: 'B/Q/DeadLetterQueue', kind: 'deadLetterQueue', label: 'Jobs DLQ', stack: 'B' }],
      ['A/Client', { id: 'A/Client', kind: 'client', label: 'web <tier>' }],
    ]),
    groups: new Map([['B/Vpc', { id: 'B/Vpc', kind: 'vpc', label: 'VPC Vpc', stack: 'B' }]]),
    edges: [
      { from: 'A/Client', to: 'A/T/Topic', label: 'publish' },
      { from: 'A/T/Topic', to: 'B/Q/Queue', label: 'filter kind=order|refund' },
      { from: 'B/Q/Queue', to: 'B/Q/DeadLetterQueue', label: 'redrive after 5 receives', style: 'failure' },
    ],
  };
}

describe('the Mermaid renderer', () => {
  test('draws stacks and groups as subgraphs, nodes with their caption, and marks a cross-stack edge', () => {
    expect(renderMermaid(smallGraph())).toBe([
      'flowchart LR',
      '  subgraph s_A["Alpha stack"]',
      '    n_A_T_Topic{{"Orders #quot;EU#quot;<br/>SNS topic"}}:::integration',
      '  end',
      '  subgraph s_B["Beta stack"]',
      '    subgraph g_B_Vpc["VPC Vpc"]',
      '      n_B_Q_Queue[["Jobs<br/>SQS queue · FIFO"]]:::integration',
      '    end',
      '    n_B_Q_DeadLetterQueue[["Jobs DLQ<br/>SQS dead-letter queue"]]:::failure',
      '  end',
      '  n_A_Client(["web #lt;tier#gt;"]):::external',
      '  n_A_Client -->|"publish"| n_A_T_Topic',
      '  n_A_T_Topic -->|"filter kind=order#124;refund, cross-stack"| n_B_Q_Queue',
      '  n_B_Q_Queue -.->|"redrive after 5 receives"| n_B_Q_DeadLetterQueue',
      '  classDef external fill:#f5f5f5,stroke:#545B64,color:#232F3E,stroke-dasharray:4 3',
      '  classDef failure fill:#fdeaea,stroke:#DD344C,color:#232F3E',
      '  classDef integration fill:#fde7f3,stroke:#E7157B,color:#232F3E',
      '  style s_A fill:#fafafa,stroke:#879196',
      '  style g_B_Vpc fill:#f7fbf2,stroke:#7AA116',
      '  style s_B fill:#fafafa,stroke:#879196',
      '  linkStyle 1 stroke:#ED7100',
      '  linkStyle 2 stroke:#DD344C',
    ].join('\n'));
  });

  test('draws every node kind the recorder knows, and the text passes the structural check', () => {
    const nodes = new Map(FLOW_NODE_KINDS.map((kind) => [`S/${kind}`, { id: `S/${kind}`, kind, label: kind, stack: 'S' }]));
    const text = renderMermaid({ stacks: new Map([['S', 'S']]), nodes, groups: new Map(), edges: [] });
    expect(mermaidProblems(text)).toEqual([]);
    expect(text.split('\n').filter((l) => l.startsWith('    n_'))).toHaveLength(FLOW_NODE_KINDS.length);
  });

  test('leaves out a group that holds nothing and no edge names', () => {
    const graph = smallGraph();
    graph.groups.set('A/Empty', { id: 'A/Empty', kind: 'onPremises', label: 'nothing', stack: 'A' });
    expect(renderMermaid(graph)).not.toContain('nothing');
  });

  test('escapes what would end a quoted label or be read as markup', () => {
    expect(escapeMermaid('a "b" <c> #d |e\nf')).toBe('a #quot;b#quot; #lt;c#gt; #35;d #124;e<br/>f');
  });

  test('gives Mermaid-safe, distinct ids to ids that differ only in punctuation', () => {
    const text = renderMermaid({
      stacks: new Map([['S', 'S']]),
      nodes: new Map([
        ['S/a-b', { id: 'S/a-b', kind: 'queue', label: 'one', stack: 'S' }],
        ['S/a.b', { id: 'S/a.b', kind: 'queue', label: 'two', stack: 'S' }],
      ]),
      groups: new Map(),
      edges: [{ from: 'S/a-b', to: 'S/a.b' }],
    });
    expect(text).toContain('n_S_a_b[["one');
    expect(text).toContain('n_S_a_b_2[["two');
    expect(mermaidProblems(text)).toEqual([]);
  });
});

describe('the structural check', () => {
  test('accepts what the renderer writes', () => {
    expect(mermaidProblems(renderMermaid(smallGraph()))).toEqual([]);
  });

  test('finds unbalanced subgraphs, undefined ends, keywords as ids, quotes in labels, unknown classes and link styles', () => {
    expect(mermaidProblems([
      'flowchart LR',
      '  subgraph s_A["A"]',
      '    end["x"]:::c',
      '    n_a["a "quoted""]:::c',
      '  n_x --> n_y',
      '  linkStyle 3 stroke:#000',
    ].join('\n'))).toEqual([
      "line 3: 'end' is a Mermaid keyword, not an id",
      'line 4: not a statement this renderer writes: \'    n_a["a "quoted""]:::c\'',
      '1 subgraph(s) without \'end\'',
      "line 5: 'n_x' is not a defined node or subgraph",
      "line 5: 'n_y' is not a defined node or subgraph",
      "line 3: class 'c' has no classDef",
      'line 6: linkStyle 3 names no edge (there are 1)',
    ]);
    expect(mermaidProblems('graph TD')).toEqual(["line 1 must be 'flowchart LR', but it is 'graph TD'"]);
  });
});

describe('diagrams of a synthesized app', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'diagrams-render-'));
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  /** Synthesizes a two-stack app (as the CDK CLI does, with construct paths in the templates). */
  function synth(name: string): string {
    const outdir = path.join(base, name);
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
    const network = new Stack(app, 'Net', { env: TEST_ENV });
    const hub = new HubTransitGateway(network, 'Hub', { segments: ['shared', 'prod'] });
    hub.connectSegments('prod', 'shared');
    const orders = new Stack(app, 'Orders', { env: TEST_ENV });
    const topic = new FanOutTopic(orders, 'Orders');
    topic.addQueue('Analytics', { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order'] }) } });
    app.synth();
    return outdir;
  }
  const outdir = synth('app');
  const flow = readAssemblyFlow(outdir);

  test('reads the flow metadata of every stack from the cloud assembly', () => {
    expect([...flow.stacks.values()]).toEqual(['Net', 'Orders']);
    expect(flow.entries.map((e) => e.path)).toEqual(expect.arrayContaining(['Net/Hub', 'Orders/Orders', 'Orders/Orders/Analytics']));
  });

  test('renders the data flow, not the construct references', () => {
    const text = renderAssembly(outdir);
    expect(mermaidProblems(text)).toEqual([]);
    expect(text).toContain('subgraph g_Net_Hub_Resource["Transit Gateway Hub · ASN 64512"]');
    expect(text).toContain('g_Net_Hub_Segmentprod_RouteTable <-->|"routes propagated"| g_Net_Hub_Segmentshared_RouteTable');
    expect(text).toContain('n_Orders_Orders_Topic -->|"filter kind=order"| n_Orders_Orders_Analytics_Queue');
    // Plumbing stays out: no key, role, policy, alarm or log group.
    expect(text).not.toMatch(/Key|Role|Policy|Alarm|Logs/);
  });

  test('reads metadata written in the manifest itself, as older aws-cdk-lib releases do', () => {
    const copy = path.join(base, 'inline');
    fs.cpSync(outdir, copy, { recursive: true });
    const manifestFile = path.join(copy, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    for (const artifact of Object.values<any>(manifest.artifacts)) {
      if (typeof artifact.additionalMetadataFile === 'string') {
        artifact.metadata = JSON.parse(fs.readFileSync(path.join(copy, artifact.additionalMetadataFile), 'utf8'));
        delete artifact.additionalMetadataFile;
      }
    }
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(renderAssembly(copy)).toBe(renderAssembly(outdir));
  });

  test('fails when a resource a construct promises has no node', () => {
    // Drop the topic's node, as a construct that forgot to describe it would, and the edges naming it.
    const withoutTopic: AssemblyFlow = {
      ...flow,
      entries: flow.entries.map((e) => ({
        path: e.path,
        fragment: {
          nodes: e.fragment.nodes?.filter((n) => n.kind !== 'topic'),
          groups: e.fragment.groups,
          edges: e.fragment.edges?.filter((edge) => !edge.from.endsWith('/Topic')),
        } as FlowFragment,
      })),
    };
    expect(promisedNodeProblems(withoutTopic, buildGraph(withoutTopic))).toEqual([
      expect.stringMatching(/^Orders\/Orders\/Topic\/Resource \(AWS::SNS::Topic, OrdersTopic[0-9A-F]+\) has no node in the diagram$/),
    ]);
    expect(promisedNodeProblems(flow, buildGraph(flow))).toEqual([]);
  });

  test('fails when a VPN connection lacks a node for each tunnel', () => {
    const vpn: AssemblyFlow = {
      stacks: new Map([['S', 'S']]),
      stackPaths: new Set(['S']),
      entries: [{ path: 'S/Office', fragment: { groups: [{ id: 'S/Office/Resource', kind: 'vpnConnection', label: 'vpn', stack: 'S' }] } }],
      resources: new Map([['S', { Vpn: { Type: 'AWS::EC2::VPNConnection', Metadata: { 'aws:cdk:path': 'S/Office/Resource' } } }]]),
    };
    expect(promisedNodeProblems(vpn, buildGraph(vpn))).toEqual(['S/Office/Resource (AWS::EC2::VPNConnection) has 2 tunnels but 0 tunnel nodes in the diagram']);
  });

  test('a stack that records nodes of its own (an example) promises nothing', () => {
    const app: AssemblyFlow = {
      stacks: new Map([['S', 'S']]),
      stackPaths: new Set(['S']),
      entries: [{ path: 'S', fragment: { nodes: [{ id: 'S/Web', kind: 'client', label: 'web' }] } }],
      resources: new Map([['S', { Ops: { Type: 'AWS::SNS::Topic', Metadata: { 'aws:cdk:path': 'S/Ops/Resource' } } }]]),
    };
    expect(promisedNodeProblems(app, buildGraph(app))).toEqual([]);
  });

  test('the README block has each example and, for each construct shown in one, its own diagram', () => {
    const block = renderBlock([['order-fanout', outdir]]);
    expect(block.startsWith(`${START}\n`)).toBe(true);
    expect(block.endsWith(END)).toBe(true);
    expect(block).toContain('#### order-fanout\n\n```mermaid\nflowchart LR');
    expect(CONSTRUCT_DIAGRAMS.find((d) => d.construct === 'FanOutTopic')).toEqual({ construct: 'FanOutTopic', example: 'order-fanout', path: 'OrderFanOut/Orders' });
    // This app's FanOutTopic is at Orders/Orders, not at the order-fanout example's path: no construct diagram.
    expect(block).not.toContain('#### FanOutTopic');
  });
});

describe('the README diagrams as a reader sees them', () => {
  const ROOT = path.resolve(__dirname, '..');
  const CHECK = path.join(ROOT, 'scripts', 'mermaid-check.mjs');
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const diagrams = blockDiagrams(readmeBlock());

  /** The text of a Mermaid source's quoted labels (nodes, groups, edges), entities decoded. */
  function labelsOf(source: string): string {
    return [...source.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join(' ').replace(/<br\/>/g, ' ')
      .replace(/#quot;/g, '"').replace(/#lt;/g, '<').replace(/#gt;/g, '>').replace(/#124;/g, '|').replace(/#35;/g, '#');
  }

  /** The words of a text, for comparing what a drawing shows with what its source says. */
  function words(text: string): string[] {
    return text.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w));
  }

  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  /** Runs Mermaid's own parser (scripts/mermaid-check.mjs) on Markdown files: its exit code and results. */
  interface CheckResult { line?: number; ok: boolean; error?: string; width?: number; text?: string; foreignObjects?: number }
  function mermaidCheck(...files: string[]): { status: number; results: CheckResult[] } {
    const run = spawnSync(process.execPath, [CHECK, ...files], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
    return { status: run.status ?? -1, results: JSON.parse(run.stdout) };
  }

  test('every Mermaid block of the README parses with Mermaid\'s own parser', () => {
    const { status, results } = mermaidCheck('README.md');
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(status).toBe(0);
    // each example, and each construct in its example
    expect(results.length).toBeGreaterThanOrEqual(listExamples().length + CONSTRUCT_DIAGRAMS.length);
  });

  test('fails when a diagram does not parse, naming its line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mermaid-check-'));
    const file = path.join(dir, 'broken.md');
    fs.writeFileSync(file, '# t\n\n```mermaid\nflowchart LR\n  a["ok"] --> b["ok"]\n```\n\n```mermaid\nflowchart LR\n  a["unclosed] --> b\n```\n');
    try {
      const { status, results } = mermaidCheck(file);
      expect(status).toBe(1);
      expect(results).toEqual([
        expect.objectContaining({ line: 3, ok: true }),
        expect.objectContaining({ line: 8, ok: false, error: expect.stringContaining('Parse error') }),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every diagram has its SVG, rendered from the same Mermaid source, linked under it', () => {
    expect(diagrams.map((d) => d.title)).toEqual(expect.arrayContaining([
      ...listExamples(), ...CONSTRUCT_DIAGRAMS.map((d) => `${d.construct} (as in ${d.example})`),
    ]));
    const stale = diagrams.filter(({ title, source }) => {
      const file = path.join(ROOT, svgFile(title));
      return !fs.existsSync(file) || fs.readFileSync(file, 'utf8').split('\n')[0] !== sourceComment(source);
    }).map((d) => svgFile(d.title));
    expect({ stale, fix: 'npx projen diagrams:render' }).toEqual({ stale: [], fix: 'npx projen diagrams:render' });
    for (const { title } of diagrams) {
      expect(readmeBlock()).toContain(`[${svgFile(title)}](${REPO_BLOB}/${svgFile(title)})`);
    }
    // nothing else in the folder
    expect(fs.readdirSync(path.join(ROOT, SVG_DIR)).sort()).toEqual(diagrams.map((d) => path.basename(svgFile(d.title))).sort());
  });

  test('a source change makes the SVG stale: the header names the source, the Mermaid release and the settings', () => {
    const [first] = diagrams;
    expect(sourceComment(first.source)).toMatch(/^<!-- rendered by npx projen diagrams:render from README.md with mermaid \d+\.\d+\.\d+, settings sha256 [0-9a-f]{16}; Mermaid source sha256 [0-9a-f]{64} -->$/);
    expect(sourceComment(`${first.source}\n  %% changed`)).not.toEqual(sourceComment(first.source));
  });

  test('every SVG is well-formed XML with SVG text labels, and shows the words of its diagram\'s labels', () => {
    const { status, results } = mermaidCheck('--svg', ...diagrams.map((d) => svgFile(d.title)));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(status).toBe(0);
    diagrams.forEach((diagram, i) => {
      const svg = results[i];
      expect(svg.width).toBeGreaterThan(0);
      // labels as SVG text: image tools that are not browsers draw no HTML in <foreignObject>
      expect({ file: svgFile(diagram.title), foreignObjects: svg.foreignObjects }).toEqual({ file: svgFile(diagram.title), foreignObjects: 0 });
      const shown = new Set(words(svg.text ?? ''));
      const missing = words(labelsOf(diagram.source)).filter((w) => !shown.has(w));
      expect({ file: svgFile(diagram.title), missing }).toEqual({ file: svgFile(diagram.title), missing: [] });
    });
    // the label check can fail: another diagram's drawing lacks this one's words
    const firstShown = new Set(words(results[0].text ?? ''));
    const other = results.findIndex((_, i) => words(labelsOf(diagrams[i].source)).some((w) => !firstShown.has(w)));
    expect(other).toBeGreaterThan(0);
  });

  test('fails on an SVG that is HTML serialization (what Mermaid returns before re-serialization as XML)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svg-check-'));
    const file = path.join(dir, 'html.svg');
    fs.writeFileSync(file, '<svg xmlns="http://www.w3.org/2000/svg" width="10"><text>a<br>b</text></svg>');
    try {
      const { status, results } = mermaidCheck('--svg', file);
      expect(status).toBe(1);
      expect(results).toEqual([expect.objectContaining({ ok: false })]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('each construct\'s README section shows its diagram as an image', () => {
    for (const { construct } of CONSTRUCT_DIAGRAMS) {
      const start = readme.indexOf(`\n## ${construct}\n`);
      const end = readme.indexOf('\n## ', start + 1);
      expect({ construct, start: start > 0, end: end > start }).toEqual({ construct, start: true, end: true });
      const section = readme.slice(start, end);
      expect(section).toMatch(new RegExp(`!\\[[^\\]]+\\]\\(${escapeRegExp(`${REPO_RAW}/${SVG_DIR}/${construct}.svg`)}\\)`));
    }
  });

  test('README links and images are absolute: the npm registry and PyPI show it without the repository', () => {
    const relative = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1])
      .filter((target) => !/^(https?:|mailto:|#)/.test(target));
    expect(relative).toEqual([]);
  });

});
