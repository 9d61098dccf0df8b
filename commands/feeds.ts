import { z } from 'zod';
import { defineCommand } from '../src/core/commands/define-command.ts';
import { makeReply } from '../src/core/reply.ts';
import type { FeedStatus } from '../src/updates/feeds/registry.ts';

/** One feed's line: who, where, when last read, what it last added, and how it is doing. */
function feedLine(f: FeedStatus): string {
  const read = f.lastReadAt ? `last read ${minute(f.lastReadAt)}` : 'not read yet';
  const added = f.lastAdded ? `last added ${f.lastAdded.id} "${f.lastAdded.title}"` : 'nothing added yet';
  const state = f.state === 'active' ? 'active' : `${f.state}: ${f.reason ?? 'no reason recorded'}`;
  return `${f.publisher} ${f.url} — ${read}; ${added}; ${state}`;
}

/** `2025-03-14T09:05:33.120Z` → `2025-03-14 09:05 UTC` */
function minute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export default defineCommand({
  name: 'feeds',
  description: 'The newsroom feeds watched for new statements: when each was read, what it added, and any failure.',
  options: z.object({}),
  example: '/feeds',
  details:
    'A feed that fails is shown as failing with the reason; after repeated failures in a row it is paused until `npm run feeds -- --once` reads it again.',
  run: async ({ feeds }) => {
    const list = (await feeds?.list()) ?? [];
    if (list.length === 0) {
      return makeReply({
        title: 'Feeds',
        text: 'No feeds configured: this bot watches no newsroom feeds. List them in feeds.json (or the file FEEDS_FILE names); see docs/feeds.md.',
      });
    }
    const troubled = list.filter((f) => f.state !== 'active').length;
    return makeReply({
      title: 'Feeds',
      text: list.map(feedLine).join('\n'),
      found: true,
      notes: troubled > 0 ? [`${troubled} of ${list.length} feeds need attention.`] : [],
    });
  },
});
