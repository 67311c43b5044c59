import { readmeBlock, renderAll } from '../scripts/diagrams';

describe('architecture diagrams', () => {
  // Synthesizes every example (a few seconds each) and renders them again.
  jest.setTimeout(180_000);

  test('the README diagrams match the examples (run `npx projen diagrams` after changing a construct or an example)', () => {
    expect(readmeBlock()).toBe(renderAll());
  });
});
