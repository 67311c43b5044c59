/**
 * What an app costs before anyone uses it: synthesizes examples (or reads a template) and prints, per stack,
 * the fixed monthly cost of each resource billed by the hour or the month, and the usage-driven prices its
 * resources bring, at the us-east-1 on-demand prices of src/core/private/prices.ts (docs/PRICES.md).
 *
 * Usage:
 *   npx projen cost [-- example-name ...]                all examples, or the ones named
 *   npx projen cost -- --template <file.template.json>   one synthesized template (e.g. from cdk.out/)
 *   npx projen cost -- --readme                          rewrite the README's "What the defaults cost" blocks and its
 *                                                        comparison with AWS Solutions Constructs
 * (without the projen task: npx ts-node --project test/tsconfig.json scripts/cost.ts ...)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { estimateTemplate, formatEstimate } from './cost-estimate';
import { costScenarios, findBlock, readmeBlock, SCENARIOS } from './cost-scenarios';
import { compareWithSolutionsConstructs, findSolutionsBlock, LIKE_FOR_LIKE, SOLUTIONS_MARKER, solutionsConstructsBlock } from './cost-solutions-constructs';
import { listExamples, synthExample } from './synth-examples';
import { formatUsd, PRICE_REGION, PRICES_READ } from '../src/core/private/prices';

const ROOT = path.resolve(__dirname, '..');
export const README = path.join(ROOT, 'README.md');

/**
 * The README with every construct's cost block, and the comparison with AWS Solutions Constructs, replaced by
 * the ones the templates give (all synthesized in one app).
 */
export function updatedReadme(readme: string): string {
  let text = readme;
  const costs = costScenarios([...SCENARIOS, ...LIKE_FOR_LIKE]);
  for (const cost of costs.slice(0, SCENARIOS.length)) {
    const current = findBlock(text, cost.scenario.construct);
    if (current === undefined) {
      throw new Error(`README.md has no cost block for ${cost.scenario.construct}: add its markers (<!-- cost:${cost.scenario.construct}:start ... --> and <!-- cost:${cost.scenario.construct}:end -->) to its section`);
    }
    text = text.replace(current, readmeBlock(cost));
  }
  const comparison = findSolutionsBlock(text);
  if (comparison === undefined) {
    throw new Error(`README.md has no comparison with AWS Solutions Constructs: add its markers (${SOLUTIONS_MARKER('start')} and ${SOLUTIONS_MARKER('end')})`);
  }
  const block = solutionsConstructsBlock(compareWithSolutionsConstructs(costs));
  return text.replace(comparison, () => block);
}

function main(args: string[]): void {
  if (args[0] === '--readme') {
    const before = fs.readFileSync(README, 'utf8');
    const after = updatedReadme(before);
    fs.writeFileSync(README, after);
    console.log(before === after ? 'README.md cost blocks are up to date' : 'README.md cost blocks rewritten');
    return;
  }
  console.log(`Fixed monthly cost before traffic, on-demand prices in ${PRICE_REGION} read ${PRICES_READ} (docs/PRICES.md)`);
  if (args[0] === '--template') {
    if (!args[1]) {
      throw new Error('--template needs the path of a synthesized template');
    }
    const template = JSON.parse(fs.readFileSync(args[1], 'utf8'));
    console.log(formatEstimate(path.basename(args[1]), estimateTemplate(template)).join('\n'));
    return;
  }
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-'));
  let failed = 0;
  try {
    for (const name of listExamples(args)) {
      const result = synthExample(name, path.join(base, name));
      if (result.stacks.length === 0) {
        failed++;
        console.log(`\n== ${name}: did not synthesize\n${result.output}`);
        continue;
      }
      let total = 0;
      console.log(`\n== ${name}`);
      for (const stack of result.stacks) {
        const estimate = estimateTemplate(JSON.parse(fs.readFileSync(path.join(ROOT, stack.template), 'utf8')));
        total += estimate.fixedMonthlyUsd;
        console.log(formatEstimate(stack.name, estimate).map((line) => `   ${line}`).join('\n'));
      }
      console.log(`   ${name}: ${formatUsd(total)} a month before traffic`);
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  if (failed > 0) {
    process.exitCode = 1;
  }
}

if (require.main === module) {
  // `npx projen cost -- --readme` hands the `--` on to the script
  const args = process.argv.slice(2);
  main(args[0] === '--' ? args.slice(1) : args);
}
