/**
 * Shared setup for subscription tests: temp directories, a new assessment (source + claims file)
 * to drop into a data directory, a settable clock, and a recording PlatformSender standing in for
 * a platform's port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import type { Origin } from '../../../src/core/commands/define-command.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { ChannelRef, PlatformSender, SendOptions } from '../../../src/updates/subscriptions/sender.ts';

export const shippedDataDir = fileURLToPath(new URL('../../../data', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** A fresh temp directory, removed when the test ends. */
export function tempDir(prefix = 'threatdesk-subs-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the shipped data in a fresh temp directory. */
export function copyData(): string {
  const dir = path.join(tempDir('threatdesk-data-'), 'data');
  fs.cpSync(shippedDataDir, dir, { recursive: true });
  return dir;
}

/** A temp SQLite file path (the file does not exist yet; its directory does not either). */
export function tempDbPath(): string {
  return path.join(tempDir(), 'var', 'threatdesk.db');
}

/** A source with two paragraphs, in the shipped format. */
export function sourceText(title: string): string {
  return [
    `title: ${title}`,
    'publisher: Office of the Director of National Intelligence (ODNI)',
    'date: 2025-02-03',
    'url: https://example.org/test-assessment',
    'kind: official',
    '',
    'Moscow continues to use proxies to spread election disinformation in the United States.',
    '',
    'The assessment covers activity observed in January 2025.',
    '',
  ].join('\n');
}

/** Claims on paragraph 1 of `source`, one per actor. */
export function claimsFor(source: string, actors: readonly string[]): object[] {
  return actors.map((actor) => ({
    id: `${source.slice(11)}-${actor}`,
    source,
    paragraph: 1,
    actor,
    type: 'tactic',
    quote: 'continues to use proxies to spread election disinformation',
    summary: 'The assessment says proxies are used to spread election disinformation.',
  }));
}

/**
 * Writes a new source and its claims file into `dataDir`, each written to a temp name and renamed
 * in, as a careful curator (or a sync tool) would, so a watcher never reads half a file.
 */
export function addAssessment(dataDir: string, id: string, actors: readonly string[] = ['russia']): void {
  const put = (rel: string, text: string) => {
    const file = path.join(dataDir, rel);
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  };
  put(path.join('sources', `${id}.txt`), sourceText(`Test assessment ${id}`));
  if (actors.length > 0) put(path.join('claims', `${id}.json`), JSON.stringify(claimsFor(id, actors), null, 2));
}

/** A clock the test moves by hand. */
export class Clock {
  t = Date.parse('2025-03-01T00:00:00Z');
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Where a test origin posts; `channel` varies. */
export function originFor(platform: Origin['platform'], channel: string, user = 'tester'): Origin {
  return { platform, workspace: 'W1', channel, user };
}

/** One call of a RecordingSender. */
export interface SentMessage {
  target: ChannelRef;
  reply: Reply;
  options: SendOptions;
}

/**
 * A PlatformSender that records every call with its options (idempotency key, maybeSent);
 * `behaviour` may throw (e.g. a DeliveryError) to make that call fail, or return a promise to
 * hold it. `delivered` holds only the calls that succeeded.
 */
export class RecordingSender implements PlatformSender {
  readonly attempts: SentMessage[] = [];
  readonly delivered: SentMessage[] = [];
  minIntervalMs?: number;

  constructor(
    readonly platform: Origin['platform'],
    private readonly behaviour: (target: ChannelRef, attempt: number) => void | Promise<void> = () => {},
  ) {}

  async send(target: ChannelRef, reply: Reply, options: SendOptions = {}): Promise<void> {
    this.attempts.push({ target, reply, options });
    await this.behaviour(target, this.attempts.length);
    this.delivered.push({ target, reply, options });
  }

  /** Deliveries to one channel. */
  to(channel: string): Reply[] {
    return this.delivered.filter((d) => d.target.channel === channel).map((d) => d.reply);
  }
}
