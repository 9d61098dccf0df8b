/**
 * zod schemas for everything under a data directory: source headers, the actor registry and
 * claim files. The loader (`load-corpus.ts`) applies them; these types are the corpus's data model.
 */
import { z } from 'zod';

/** A kebab-case identifier: `russia`, `ica2020-russia-preference`. */
export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case: lowercase letters, digits and hyphens');

/** An ISO calendar date, `YYYY-MM-DD`, that exists. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'is not a real calendar date');

/** What kind of document a source is. */
export const sourceKinds = ['official', 'news', 'response', 'analysis'] as const;

/** The `key: value` header of a source file, after repeated keys are gathered. */
export const sourceHeaderSchema = z.strictObject({
  title: z.string().min(1, 'must not be empty'),
  publisher: z.string().min(1, 'must not be empty'),
  date: isoDateSchema,
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  kind: z.enum(sourceKinds),
  excerpt: z.enum(['true', 'false']).optional(),
  image: z.string().optional(),
  via: z.array(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' })).default([]),
  author: z.string().optional(),
  language: z.string().optional(),
});
export type SourceHeader = z.infer<typeof sourceHeaderSchema>;

/** Kinds of actor in the registry. */
export const actorKinds = ['country', 'group', 'agency', 'candidate', 'company'] as const;

/** One actor: a country, group, agency or candidate, with every name it goes by. */
export const actorSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  kind: z.enum(actorKinds),
  /** Other names: demonyms, capitals, leaders, organs, abbreviations. Matched case-insensitively. */
  aliases: z.array(z.string().min(1)).default([]),
  /** One line on who this is, in our words. */
  description: z.string().optional(),
});
export type Actor = z.infer<typeof actorSchema>;
export const actorsFileSchema = z.array(actorSchema);

/** Claim types. */
export const claimTypes = [
  'preference',
  'denial',
  'tactic',
  'threat',
  'intent',
  'assurance',
  'plot',
  'attribution',
  'sanction',
  'finding',
] as const;
export type ClaimType = (typeof claimTypes)[number];

/**
 * How a source reports a denial.
 * - `statement`: the actor denied something, in a response or as reported; the source's date is
 *   when it was on record ("the Iranian mission strongly denied …"). The default.
 * - `habit`: the source says the actor denies such things as a rule ("regularly denies", "has
 *   denied in the past", "routinely rejects"). It is still a denial by that actor, but it dates no
 *   denial: `/denials` lists it apart, never as a denial made on the source's date.
 */
export const denialReports = ['statement', 'habit'] as const;
export type DenialReport = (typeof denialReports)[number];

/**
 * One claim drawn from one paragraph. `quote` must appear verbatim in that paragraph; `summary` is
 * our own one-line wording and must add no fact the paragraph lacks.
 */
export const claimSchema = z
  .strictObject({
    id: idSchema,
    source: idSchema,
    paragraph: z.number().int().min(1),
    /** The actor the claim is about (for a denial: the actor that denied). */
    actor: idSchema,
    type: z.enum(claimTypes),
    quote: z.string().min(1),
    summary: z.string().min(1),
    /** The election year the claim concerns, where the paragraph says. */
    election: z.number().int().min(1900).max(2100).optional(),
    /** preference: candidates the actor favours. */
    favours: z.array(idSchema).optional(),
    /** preference: candidates the actor opposes. */
    opposes: z.array(idSchema).optional(),
    /** denial: what was denied or rejected, in our words. */
    denies: z.string().min(1).optional(),
    /** denial: a dated `statement` (the default) or a reported `habit` (see `denialReports`). */
    reported: z.enum(denialReports).optional(),
    /** Other actors the claim names (targets, victims, agencies that made the assessment). */
    mentions: z.array(idSchema).optional(),
    /** Machine-drafted and not yet reviewed (see ingest). */
    draft: z.boolean().optional(),
    /** For a draft: the rule that produced it. */
    rule: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.type === 'preference' && !c.favours?.length && !c.opposes?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['favours'],
        message: 'a preference claim needs favours or opposes',
      });
    }
    if (c.type === 'denial' && !c.denies) {
      ctx.addIssue({
        code: 'custom',
        path: ['denies'],
        message: 'a denial claim needs denies (what was denied)',
      });
    }
    if (c.reported && c.type !== 'denial') {
      ctx.addIssue({
        code: 'custom',
        path: ['reported'],
        message: `only a denial claim says how it was reported (statement or habit); this is a ${c.type}`,
      });
    }
  });
export type Claim = z.infer<typeof claimSchema>;
export const claimsFileSchema = z.array(claimSchema);

/** One entry of the gazetteer: a place or body the corpus may hold nothing on. */
export const placeSchema = z.strictObject({
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
});
export type Place = z.infer<typeof placeSchema>;
export const gazetteerFileSchema = z.array(placeSchema);

/**
 * The domain thesaurus: a word or phrase a reader might use → the corpus's wording for it. One way:
 * asking "fake" also finds "manufactured", not the reverse. Keys starting with `$` are comments.
 */
export const thesaurusFileSchema = z.record(z.string().min(1), z.union([z.array(z.string().min(1)), z.string()]));
