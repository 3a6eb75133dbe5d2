// A game of party-bench from the first answer to the standings, on the SDK's runtime (no server needed):
//   npx tsx --tsconfig libs/games/party-bench/tsconfig.json libs/games/party-bench/examples/play.ts
import { createGameRuntime, type StepResult } from '@gamebuddies/plugin-sdk';
import { partyBench, type PartyBenchResult } from '../src';

const runtime = createGameRuntime(partyBench, { clock: { now: () => Date.now() } });
const applied = (step: StepResult<typeof partyBench>) => {
  if (!step.isApplied) throw step.error;
  return step.state;
};

let state = runtime.createRoom({ options: { maxPlayers: 3, answersPerPlayer: 2 } });
for (const [id, name] of [['ann', 'Ann'], ['bob', 'Bob'], ['cy', 'Cy']] as const) state = applied(runtime.join(state, id, name));
state = applied(runtime.start(state, 'ann'));
for (let turn = 0; turn < 2; turn++) {
  for (const id of ['ann', 'bob', 'cy']) {
    const step = runtime.act(state, id, 'answer', { choice: Math.floor(Math.random() * 4) });
    state = applied(step);
    const view = step.messages.find((message) => message.type === 'sync' && message.to === id);
    process.stdout.write(`${id} answered: ${JSON.stringify(view?.type === 'sync' ? view.view : null)}\n`);
  }
}
process.stdout.write(`phase ${state.phase}: ${JSON.stringify((state.result as PartyBenchResult).standings)}\n`);
