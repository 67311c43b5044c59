import { readmeBlock, renderAll } from '../scripts/diagrams';

describe('architecture diagrams', () => {
  // Synthesizes every example (a few seconds each) and renders them again.
  jest.setTimeout(180_000);

  // Rendering fails unless every example synthesizes with no unacknowledged finding of the five rule packs
  // (each example app registers them as validation plugins).
  test('every example is compliant and the README diagrams match it (run `npx projen diagrams` after changing a construct or an example)', () => {
    expect(readmeBlock()).toBe(renderAll());
  });
});
