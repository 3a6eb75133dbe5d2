import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** The README shows the example with package imports; the repository's copy uses relative ones. */
function asPublished(source: string): string {
  return source
    .replaceAll("from '../src/testing'", "from '@gamebuddies/plugin-sdk/testing'")
    .replaceAll("from '../src'", "from '@gamebuddies/plugin-sdk'")
    .replaceAll("from '../examples/guess-the-number'", "from './guess-the-number'");
}

describe('README tutorial', () => {
  it.each(['examples/guess-the-number.ts', 'tests/guess-the-number.spec.ts'])('shows %s exactly as it runs in CI', (file) => {
    expect(read('README.md')).toContain(asPublished(read(file)));
  });
});
