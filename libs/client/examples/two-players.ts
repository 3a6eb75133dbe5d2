// Two players on a running gateway: Ann creates a school-quiz room, Bob joins, Ann starts the game, both
// answer the first question and see the reveal.
//
//   GAMEBUDDIES_URL=http://127.0.0.1:3000 npx tsx --tsconfig tsconfig.base.json libs/client/examples/two-players.ts
import { GameBuddiesClient, isGameBuddiesError, type RoomSnapshot } from '../src';

/** Prints one line of the example's output. */
function say(...parts: unknown[]): void {
  process.stdout.write(`${parts.map(String).join(' ')}\n`);
}

/** The part of school-quiz's view this example reads (the full type is `QuizView` in @gamebuddies/school-quiz). */
interface QuizView {
  round: number;
  stage: 'question' | 'reveal';
  question: { prompt: string; choices: string[] } | null;
  scoreboard: { name: string; score: number }[];
}

const url = process.env['GAMEBUDDIES_URL'] ?? 'http://127.0.0.1:3000';

/** Resolves with the first snapshot `client` holds or receives that satisfies `predicate`. */
function waitForState(
  client: GameBuddiesClient<QuizView>,
  predicate: (snapshot: RoomSnapshot<QuizView>) => boolean,
): Promise<RoomSnapshot<QuizView>> {
  return new Promise((resolve) => {
    if (client.state !== null && predicate(client.state)) return resolve(client.state);
    const unsubscribe = client.onState((snapshot) => {
      if (!predicate(snapshot)) return;
      unsubscribe();
      resolve(snapshot);
    });
  });
}

async function main(): Promise<void> {
  const ann = new GameBuddiesClient<QuizView>({ url });
  const bob = new GameBuddiesClient<QuizView>({ url });
  try {
    await ann.openSession('Ann');
    await bob.openSession('Bob');
    say('games:', (await ann.listGames()).map((game) => game.id).join(', '));

    const room = await ann.createRoom('school-quiz', {
      questionCount: 1,
      roundSeconds: 10,
      revealSeconds: 0,
    });
    say(`Ann created room ${room.code}`);
    bob.onMember((change) => say(`Bob sees ${change.member.name} ${change.kind}`));
    await bob.joinRoom(room.code);
    say(`Bob joined ${room.code}: ${bob.state?.members.map((m) => m.name).join(', ')}`);

    await ann.startGame();
    const question = await waitForState(bob, (s) => s.view?.stage === 'question');
    say(
      `Question: ${question.view?.question?.prompt} ${question.view?.question?.choices.join(' / ')}`,
    );

    await ann.act('answer', { choice: 0 });
    await bob.act('answer', { choice: 1 });
    const reveal = await waitForState(ann, (s) => s.view?.stage === 'reveal');
    for (const line of reveal.view?.scoreboard ?? []) say(`${line.name}: ${line.score}`);

    // A typed error: a second answer in the same round is refused with the game's code.
    await ann.act('answer', { choice: 0 }).catch((error: unknown) => {
      if (isGameBuddiesError(error)) say(`refused as expected: ${error.code}`);
    });
  } finally {
    ann.close();
    bob.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
