/**
 * The Slack installation store, one contract for both implementations: SQLite in a temp file and
 * PostgreSQL on a throwaway server (a fresh schema per test). Subscriptions and outbox rows are
 * written through the real shared store on the same database, as the running bot writes them.
 */
import type { Installation } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../bench/throwaway-postgres.ts';
import type { InstallationStore } from '../../../src/updates/store/installations.ts';
import { openInstallationStore } from '../../../src/updates/store/installations-open.ts';
import { openPgStore } from '../../../src/updates/store/pg-store.ts';
import type { SharedStore } from '../../../src/updates/store/shared-store.ts';
import { openSqliteSharedStore } from '../../../src/updates/store/sqlite-shared-store.ts';
import { Clock, tempDbPath } from '../subscriptions/fixtures.ts';
import { sourceUpdate } from './store-suite.ts';

/** One fresh database, opened as the bot opens it: the installation store and the shared store. */
interface Target {
  installations(now?: () => number): Promise<InstallationStore>;
  shared(): Promise<SharedStore>;
}

let server: ThrowawayPostgres | undefined;
beforeAll(async () => {
  server = await startThrowawayPostgres();
}, 120_000);
afterAll(() => server?.stop());

function closing<T extends { close(): Promise<void> }>(store: T): T {
  onTestFinished(() => store.close());
  return store;
}

const targets: Record<string, () => Promise<Target>> = {
  SQLite: async () => {
    const dbPath = tempDbPath();
    return {
      installations: async (now) => closing(await openInstallationStore({ dbPath }, { now })),
      shared: async () => closing(await openSqliteSharedStore(dbPath)),
    };
  },
  PostgreSQL: async () => {
    if (!server) throw new Error('test: the throwaway PostgreSQL did not start');
    const databaseUrl = await server.createSchema();
    return {
      installations: async (now) =>
        closing(await openInstallationStore({ databaseUrl, dbPath: 'unused.db' }, { now, log: () => {} })),
      shared: async () => closing(await openPgStore(databaseUrl)),
    };
  },
};

/** An installation shaped as Bolt's InstallProvider builds it after oauth.v2.access. */
function installation(team: string, token: string, enterprise?: string): Installation {
  return {
    team: { id: team, name: `Team ${team}` },
    enterprise: enterprise ? { id: enterprise, name: `Org ${enterprise}` } : undefined,
    user: { token: undefined, scopes: undefined, id: `U-${team}` },
    bot: { scopes: ['chat:write', 'commands'], token, userId: `UB-${team}`, id: `B-${team}` },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    appId: 'A0THREATD',
    authVersion: 'v2',
  };
}

function orgInstallation(enterprise: string, token: string): Installation<'v2', true> {
  return {
    team: undefined,
    enterprise: { id: enterprise, name: `Org ${enterprise}` },
    user: { token: undefined, scopes: undefined, id: 'U-admin' },
    bot: { scopes: ['chat:write'], token, userId: 'UB-org', id: 'B-org' },
    tokenType: 'bot',
    isEnterpriseInstall: true,
    enterpriseUrl: 'https://org.enterprise.slack.com/',
    appId: 'A0THREATD',
    authVersion: 'v2',
  };
}

const slackIn = (workspace: string, channel: string) => ({
  platform: 'slack' as const,
  workspace,
  channel,
  user: 'U1',
});
const at = { at: Date.parse('2025-03-01T00:00:00Z'), dueAt: Date.parse('2025-03-01T00:00:02Z') };

for (const [name, fresh] of Object.entries(targets)) {
  describe(`${name} installation store`, () => {
    it('saves an installation and gives it back unchanged, by team, with its bot token', async () => {
      const store = await (await fresh()).installations();
      const saved = installation('T1', 'xoxb-team-one');
      await store.save(saved);
      expect(await store.fetch({ teamId: 'T1' })).toEqual(JSON.parse(JSON.stringify(saved)));
      expect(await store.botToken('T1')).toBe('xoxb-team-one');
      expect(await store.fetch({ teamId: 'T2' })).toBeUndefined();
      expect(await store.botToken('T2')).toBeUndefined();
      expect(await store.count()).toBe(1);
    });

    it('a second install of the same workspace replaces the first (a reinstall gives a new token)', async () => {
      const store = await (await fresh()).installations();
      await store.save(installation('T1', 'xoxb-old'));
      await store.save(installation('T1', 'xoxb-new'));
      expect(await store.botToken('T1')).toBe('xoxb-new');
      expect(await store.count()).toBe(1);
    });

    it('keeps an org-wide install under its enterprise, apart from a workspace install in that enterprise', async () => {
      const store = await (await fresh()).installations();
      await store.save(orgInstallation('E1', 'xoxb-org'));
      await store.save(installation('T9', 'xoxb-grid-team', 'E1'));
      expect((await store.fetch({ enterpriseId: 'E1', teamId: 'T5', isEnterpriseInstall: true }))?.bot?.token).toBe(
        'xoxb-org',
      );
      expect((await store.fetch({ enterpriseId: 'E1', teamId: 'T9' }))?.bot?.token).toBe('xoxb-grid-team');
      // A workspace of the organisation has no install of its own: the sender cannot use the org token by team.
      expect(await store.botToken('T5')).toBeUndefined();
      expect(await store.count()).toBe(2);
    });

    it('refuses an installation that names no team and is not org-wide', async () => {
      const store = await (await fresh()).installations();
      const bad = { ...installation('T1', 'xoxb-x'), team: undefined };
      await expect(store.save(bad)).rejects.toThrow(/installation store: an installation must name a team/);
      expect(await store.fetch({})).toBeUndefined();
    });

    it('delete removes one installation and says whether there was one', async () => {
      const store = await (await fresh()).installations();
      await store.save(installation('T1', 'xoxb-1'));
      await store.save(installation('T2', 'xoxb-2'));
      expect(await store.delete({ teamId: 'T1' })).toBe(true);
      expect(await store.delete({ teamId: 'T1' })).toBe(false);
      expect(await store.botToken('T2')).toBe('xoxb-2');
    });

    it("uninstall deletes the workspace's installation, Slack subscriptions and their outbox rows, and nothing else", async () => {
      const target = await fresh();
      const store = await target.installations();
      const shared = await target.shared();
      await store.save(installation('T1', 'xoxb-1'));
      await store.save(installation('T2', 'xoxb-2'));
      const s = shared.subscriptions;
      await s.subscribe(slackIn('T1', 'C1'), null);
      await s.subscribe(slackIn('T1', 'C2'), 'russia');
      await s.subscribe(slackIn('T2', 'C1'), null);
      // Same workspace id on another platform: not Slack's, so not touched.
      await s.subscribe({ ...slackIn('T1', 'C1'), platform: 'discord' }, null);
      expect(await s.recordUpdates([sourceUpdate('s1', ['russia'])], at)).toEqual({ updates: 1, rows: 4 });

      expect(await store.uninstall({ teamId: 'T1' })).toEqual({
        installations: 1,
        subscriptions: 2,
        pendingDeliveries: 2,
      });
      expect(await store.fetch({ teamId: 'T1' })).toBeUndefined();
      expect(await store.botToken('T2')).toBe('xoxb-2');
      expect(await s.list(slackIn('T1', 'C1'))).toEqual([]);
      expect(await s.list(slackIn('T1', 'C2'))).toEqual([]);
      expect(await s.list(slackIn('T2', 'C1'))).toHaveLength(1);
      expect(await s.list({ ...slackIn('T1', 'C1'), platform: 'discord' })).toHaveLength(1);
      expect(await s.outboxCounts()).toEqual({ pending: 2, sent: 0, failed: 0 });
      // A second uninstall (Slack sends app_uninstalled and tokens_revoked) finds nothing left.
      expect(await store.uninstall({ teamId: 'T1' })).toEqual({
        installations: 0,
        subscriptions: 0,
        pendingDeliveries: 0,
      });
    });

    it('works when opened before the shared store, on an empty database, and keeps its rows across a reopen', async () => {
      const target = await fresh();
      const clock = new Clock();
      const first = await target.installations(clock.now);
      await first.save(installation('T1', 'xoxb-1'));
      await first.close();
      const shared = await target.shared();
      await shared.subscriptions.subscribe(slackIn('T1', 'C1'), null);
      const again = await target.installations();
      expect(await again.botToken('T1')).toBe('xoxb-1');
      expect(await again.uninstall({ teamId: 'T1' })).toMatchObject({ installations: 1, subscriptions: 1 });
    });
  });
}
