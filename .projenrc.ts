import { awscdk, DependencyType, javascript, JsonFile } from 'projen';

// Peer floor: the oldest aws-cdk-lib this library supports. 2.245.0 has every module the constructs use
// (Direct Connect L1s arrived in 2.241.0) and is the newest release with a published
// @aws-cdk/integ-tests-alpha, so the alpha below matches it exactly.
const CDK_FLOOR = '2.245.0';
// Tests and builds run against the newest aws-cdk-lib 2.x, which also brings CloudFormation schema
// validation at synth (turned to errors in test/util).
const CDK_DEV = '2.276.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-reference-patterns',
  description: 'Typed AWS CDK L3 constructs for the reference architectures: SNS fan-out, SQS with DLQ, Kinesis to Redshift, hub-and-spoke Transit Gateway and hybrid VPN',
  keywords: ['cdk', 'aws-cdk', 'awscdk', 'sqs', 'sns', 'kinesis', 'redshift', 'transit-gateway', 'vpn', 'reference-architecture'],
  author: 'cdk-reference-patterns maintainers',
  authorAddress: 'maintainers@cdk-reference-patterns.dev',
  repositoryUrl: 'https://github.com/cdk-reference-patterns/cdk-reference-patterns.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  cdkVersion: CDK_FLOOR,
  constructsVersion: '10.5.1',
  // the dev copy of aws-cdk-lib is pinned below to the newest release, not to the floor
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    `aws-cdk-lib@${CDK_DEV}`,
    'aws-cdk@^2',
    'cdk-nag@^3',
    '@aws-cdk/integ-runner@^2',
    'fast-check@^4',
    `@aws-cdk/integ-tests-alpha@${CDK_FLOOR}-alpha.0`,
    // The floor itself, under an alias, for the integration tests (test/integ-floor-hook.js).
    `aws-cdk-lib-floor@npm:aws-cdk-lib@${CDK_FLOOR}`,
    // and the cloud assembly schema it writes (npm ci does not install the floor's nested copy reliably)
    'cloud-assembly-schema-floor@npm:@aws-cdk/cloud-assembly-schema@^53.0.0',
    // The custom resource handlers' AWS SDK v3 calls, tested with mocked clients (aws-sdk-client-mock) and
    // against the moto emulator (EC2); in Lambda the runtime provides the SDK, so none is bundled.
    '@aws-sdk/client-ec2@^3',
    '@aws-sdk/client-redshift-data@^3',
    '@aws-sdk/client-cloudformation@^3',
    'aws-sdk-client-mock@^4',
    // Diagrams: Mermaid's own parser checks every README diagram (test/diagrams-render.test.ts), and renders the
    // committed SVGs in a headless browser (npx projen diagrams:render).
    'mermaid@^11',
    // gives DOMPurify (used by Mermaid's parser) the DOM it needs in Node, so the parse check runs without a browser
    'jsdom',
  ],
  publishToPypi: {
    distName: 'cdk-reference-patterns',
    module: 'cdk_reference_patterns',
  },
  // no hosted CI here: .ci/run is the pipeline
  github: false,
  release: false,
  sampleCode: false,
  jestOptions: {
    // snapshots are verified, never rewritten, by `npm test`; `npx projen test:update` rewrites them
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      snapshotSerializers: ['<rootDir>/test/util/asset-hash-serializer.ts'],
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Two workers on the two cores (jest's default, cores - 1, runs one file at a time), each restarted once it
      // holds more than 1 GB after a test file: aws-cdk-lib, loaded afresh by every test file, otherwise piles up
      // in one process (3 GB measured). docs/PERFORMANCE.md records the suite's time and memory.
      maxWorkers: 2,
      workerIdleMemoryLimit: '1GB',
      // Coverage costs the suite time it does not use: `npx projen test:coverage` collects it.
      collectCoverage: false,
    },
  },
  tsconfigDev: {
    include: ['../examples/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts'],
    compilerOptions: {},
  },
  gitignore: ['cdk.out/', '/test/cdk-integ.out.*/', '*.d.ts.map', '/.tmp/', '/.ci/log/'],
  // `npm test` lints without rewriting files; `npx projen eslint:fix` applies the fixes.
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'build-tools', 'projenrc'], commandOptions: { fix: false } },
});

for (const pattern of ['/examples/', '/bench/', '/scripts/', '/.ci/', 'cdk.out/', '/docs/', '/.cfnlintrc.yaml']) {
  project.addPackageIgnore(pattern);
}

project.deps.addDependency('constructs@10.5.1', DependencyType.BUILD);

// Custom resource handlers run in Lambda, which runs JavaScript only. Each handler is bundled with esbuild into
// assets/handlers/<name>/index.js: one file holding exactly what that handler loads (the AWS SDK v3 comes with
// the Lambda Node.js runtime and stays external). src/core/private/handler-function.ts packages that folder,
// whether the library is loaded from lib/ (the npm package ships assets/) or from src/ (tests, examples and
// integration tests through ts-node), so every asset is the same JavaScript. The bundle task runs before
// compile, test, examples, diagrams, benchmarks and integration tests.
const HANDLERS = ['table', 'peering-acceptor', 'attachment-lookup'];
for (const handler of HANDLERS) {
  project.bundler.addBundle(`src/handlers/${handler}.ts`, {
    platform: 'node',
    target: 'node22',
    externals: ['@aws-sdk/*'],
    watchTask: false,
  });
}
const bundle = project.tasks.tryFind('bundle')!;
// jsii recommends a dev copy of aws-cdk-lib at the peer floor; ours is deliberately the newest release.
project.compileTask.reset('jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency');

// Examples, scripts and benchmarks are linted and type-checked like the tests; each folder has a tsconfig so
// that editors and eslint's project service find it (the examples folder doubles as a CDK app users copy).
for (const dir of ['examples', 'scripts', 'bench']) {
  project.eslint?.addLintPattern(dir);
  project.eslint?.allowDevDeps(`${dir}/**`);
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] },
  });
}

project.addTask('eslint:fix', {
  description: 'Run eslint and apply its fixes',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: 'eslint --ext .ts,.tsx --fix --no-error-on-unmatched-pattern src test build-tools examples scripts bench projenrc .projenrc.ts',
});

// Type-check everything that is not jsii-compiled (tests, examples, scripts) so a broken example fails fast.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, examples, scripts and benchmarks',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});

// Integration tests: snapshots are written without deploying and verified without AWS credentials.
// They are synthesized with the peer floor (test/integ-floor-hook.js): integ-runner's toolkit reads cloud
// assembly schema 53 at most, which aws-cdk-lib wrote up to 2.257.0, and the floor proves src/ runs there.
// ts-node only transpiles (the typecheck task checks the integration tests' types).
const INTEG = 'integ-runner --directory test --parallel-regions us-east-1 --max-workers 2 '
  + '--test-regex "^integ\\..*\\.ts$" '
  + '--app "node -r ./test/integ-floor-hook.js -r ts-node/register/transpile-only {filePath}"';
const integ = project.addTask('integ', {
  description: 'Verify the committed integration-test snapshots (no AWS account needed)',
  exec: INTEG,
});
const integUpdate = project.addTask('integ:update', {
  description: 'Re-synthesize integration-test snapshots without deploying',
  exec: `${INTEG} --update-on-failed --dry-run --force`,
});


project.addTask('test:coverage', {
  description: 'Run the jest suite with coverage (written to coverage/)',
  exec: 'jest --coverage',
}).prependSpawn(bundle);

// Property-based robustness at length: `npx projen property:long` (PROPERTY_RUNS and PROPERTY_SEED override).
const propertyLong = project.addTask('property:long', {
  description: 'Run the property-based robustness tests with many more cases and print what they found',
  exec: 'jest --coverage=false test/robustness',
  env: { PROPERTY_REPORT: '1' },
});

// Architecture diagrams in the README, rendered from the synthesized examples (test/examples.test.ts checks them).
const diagrams = project.addTask('diagrams', {
  description: 'Render each example as a Mermaid diagram into README.md',
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/diagrams.ts',
});

// The same diagrams rendered by Mermaid in a headless Chromium (Debian's `chromium`) into docs/diagrams/*.svg, for
// viewers without Mermaid; `-- --png DIR` adds screenshots. test/diagrams-render.test.ts fails when one is stale.
project.addTask('diagrams:render', {
  description: 'Render the README diagrams in a headless browser into docs/diagrams/*.svg (after `diagrams`)',
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/diagrams-render.ts',
  receiveArgs: true,
});

// Synth benchmark: ratios against an empty-stack baseline, and scaling curves (docs/PERFORMANCE.md).
const bench = project.addTask('bench', {
  description: 'Measure synth time of each construct against an empty stack, and scaling with subscribers and spokes',
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/synth.ts',
  receiveArgs: true,
});

// Main job: synthesize every reference architecture under examples/ into cdk.out/<example>/. The scripts run
// transpile-only: the typecheck task (in npm test) checks their types.
const examples = project.addTask('examples', {
  description: 'Synthesize every example app into cdk.out/<example>/ and report resources and compliance findings',
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/synth-examples.ts',
  receiveArgs: true,
});

// What the examples cost a month before traffic (us-east-1 prices of docs/PRICES.md): `npx projen cost [-- example ...]`,
// `-- --template <file>` for one template, `-- --readme` to rewrite the README's "What the defaults cost" blocks.
const cost = project.addTask('cost', {
  description: 'Estimate the fixed monthly cost of each example stack (or a template) and the usage-driven prices it brings',
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/cost.ts',
  receiveArgs: true,
});

// CloudFormation linter over every example template (after synthesizing them) and integration snapshot; fails
// on any finding not ignored with its reason in .cfnlintrc.yaml, and when cfn-lint is missing. CI runs it.
const lintCfn = project.addTask('lint:cfn', {
  description: 'Lint every example and integration-snapshot template with cfn-lint',
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/cfn-lint.ts',
});
lintCfn.prependSpawn(examples);

// Before the first release, users install the package built from a clone: handler bundles, jsii compile,
// and the JavaScript tarball in dist/js/. A plain `npm pack` without them fails instead of packing no lib/.
const packageLocal = project.addTask('package:local', {
  description: 'Build the npm package from this clone into dist/js/ (install it with npm install <path to the .tgz>)',
});
packageLocal.spawn(project.preCompileTask);
packageLocal.spawn(project.compileTask);
packageLocal.spawn(project.tasks.tryFind('package:js')!);
packageLocal.exec('ls dist/js/*.tgz');
project.setScript('prepack', 'node -e "const fs = require(\'fs\'); if (!fs.existsSync(\'lib/index.js\') || !fs.existsSync(\'assets/handlers/table/index.js\')) { console.error(\'lib/ or assets/ is missing: build the package with npx projen package:local\'); process.exit(1); }"');

// Everything that loads src/ and synthesizes a stack with a custom resource needs the handler bundles first.
for (const task of [integ, integUpdate, propertyLong, diagrams, bench, examples, cost]) {
  task.prependSpawn(bundle);
}

// `npm test`: bundles, type-check, jest, lint, integration snapshots. Type-aware linting loads a TypeScript
// program per tsconfig: the library and the rest in two runs keep each under 1.5 GB (1.6 GB in one run,
// measured in docs/PERFORMANCE.md); it never rewrites files (`npx projen eslint:fix` does).
const lint = project.addTask('lint', {
  description: 'Lint the library, then the tests, examples, scripts and benchmarks (no fixes)',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
});
lint.exec('eslint --ext .ts,.tsx --no-error-on-unmatched-pattern src projenrc .projenrc.ts');
lint.exec('eslint --ext .ts,.tsx --no-error-on-unmatched-pattern test build-tools examples scripts bench');
project.testTask.reset();
project.testTask.spawn(bundle);
project.testTask.spawn(typecheck);
// NODE_NO_WARNINGS: the AWS SDK v3 the handler tests load warns on every Node.js 20 process that its releases
// after January 2027 need Node.js 22 (the Lambda runtime is Node.js 24); nothing the tests can act on.
project.testTask.exec('jest --passWithNoTests --ci', { receiveArgs: true, env: { NODE_NO_WARNINGS: '1' } });
project.testTask.spawn(lint);
project.testTask.spawn(integ);

project.synth();
