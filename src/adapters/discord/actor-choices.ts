/**
 * Autocomplete for actor options (`/denials actor:`): what the user has typed so far, matched
 * against each actor's id, name and aliases, as Discord choices (at most 25, names and values up to
 * 100 characters).
 */
import type { APIApplicationCommandOptionChoice } from 'discord.js';
import type { Corpus } from '../../core/corpus/corpus.ts';

/** Discord shows at most 25 choices. */
export const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/** How well one name matches what was typed: lower is better; undefined is no match. */
function rank(name: string, typed: string): number | undefined {
  const n = name.toLowerCase();
  if (n === typed) return 0;
  if (n.startsWith(typed)) return 1;
  if (n.split(/[\s'’-]+/).some((word) => word.startsWith(typed))) return 2;
  if (n.includes(typed)) return 3;
  return undefined;
}

/**
 * Actors matching `typed`, best first: exact, then prefix, then word prefix, then substring
 * matches of the id, name or an alias; ties go to actors with more claims, then by name. The
 * choice's value is the actor id; its name is the display name, followed by the alias that
 * matched when that was not the name (`Russia (Kremlin)`). Empty input lists actors by claims.
 *
 * @example actorChoices(corpus, 'kreml') // [{ name: 'Russia (Kremlin)', value: 'russia' }]
 */
export function actorChoices(corpus: Corpus, typed: string): APIApplicationCommandOptionChoice<string>[] {
  const query = typed.trim().toLowerCase();
  const claims = new Map<string, number>();
  for (const c of corpus.claims) claims.set(c.actor, (claims.get(c.actor) ?? 0) + 1);
  const scored: { id: string; label: string; score: number; claims: number }[] = [];
  for (const actor of corpus.actors.values()) {
    let best: { score: number; alias?: string } | undefined;
    for (const [name, alias] of [
      [actor.id, undefined],
      [actor.name, undefined],
      ...actor.aliases.map((a) => [a, a] as const),
    ] as const) {
      const score = query ? rank(name, query) : 0;
      if (score !== undefined && (!best || score < best.score)) best = { score, alias };
    }
    if (!best) continue;
    const label = best.alias ? `${actor.name} (${best.alias})` : actor.name;
    scored.push({ id: actor.id, label, score: best.score, claims: claims.get(actor.id) ?? 0 });
  }
  scored.sort((a, b) => a.score - b.score || b.claims - a.claims || a.label.localeCompare(b.label));
  return scored.slice(0, MAX_CHOICES).map((s) => ({
    name: s.label.length > MAX_CHOICE_LENGTH ? `${s.label.slice(0, MAX_CHOICE_LENGTH - 1)}…` : s.label,
    value: s.id.slice(0, MAX_CHOICE_LENGTH),
  }));
}
