/**
 * Full-text index over the corpus's paragraphs. flexsearch holds the inverted index (which
 * paragraphs contain a stem); ranking is BM25 computed here over three weighted fields of each
 * paragraph: its own text, the summaries of claims drawn from it, and its source's title and
 * publisher. Built once per corpus; searching does no I/O.
 *
 * Design goals: every hit is a whole, verbatim paragraph; scores are explainable (which query terms
 * matched, through which alternative); coverage of the question's terms is reported so the caller
 * can say "not found" instead of citing a paragraph that shares one common word.
 */
import { Index } from 'flexsearch';
import type { Corpus, Paragraph } from '../corpus/corpus.ts';
import { editDistance, termsOf, typoBudget } from '../text/tokenize.ts';

/** Ranking parameters, merged over `DEFAULT_INDEX_OPTIONS`. */
export interface IndexOptions {
  /** BM25 term-frequency saturation, 0.5–2: higher lets repeated words count more. */
  k1: number;
  /** BM25 length normalisation, 0–1: 1 fully penalises long paragraphs. */
  b: number;
  /** Weight of a word in a claim summary drawn from the paragraph (paragraph text is 1). */
  summaryWeight: number;
  /** Weight of a word in the paragraph's source title and publisher. */
  headerWeight: number;
  /** Credit, 0–1, for a word found only in a claim summary or the header, not the paragraph itself (score and coverage). */
  indirectWeight: number;
  /** Bonus, as a share of the smaller idf, when two query words stand side by side in the text. */
  adjacencyBonus: number;
}

export const DEFAULT_INDEX_OPTIONS: IndexOptions = {
  k1: 1.2,
  b: 0.6,
  summaryWeight: 0.35,
  headerWeight: 0.15,
  adjacencyBonus: 0.6,
  indirectWeight: 0.5,
};

/** One way a query word may be found: its own stem, a thesaurus phrase, a typo correction. */
export interface TermAlternative {
  /** Every stem must be in the paragraph for this alternative to match. */
  stems: string[];
  /** 0–1: how much a match through this alternative counts. */
  weight: number;
}

/** One word of the query with the ways it may be found. */
export interface QueryTerm {
  /** The word as asked. */
  word: string;
  alternatives: TermAlternative[];
  /** Counts towards coverage (false for cue words like "deny" that only steer ranking). */
  focus: boolean;
  /** Multiplies the term's score: cue words steer less than topic words. */
  boost: number;
}

/** A paragraph with its score and what matched. */
export interface Hit {
  paragraph: Paragraph;
  score: number;
  /** Words of the query (QueryTerm.word) found in the paragraph. */
  matched: Set<string>;
  /** Share of the focus terms' idf mass found, 0–1. */
  coverage: number;
}

interface DocStats {
  paragraph: Paragraph;
  /** Weighted term frequency over all fields. */
  tf: Map<string, number>;
  /** Stems that occur in the paragraph text itself (and its pseudo-terms). */
  own: Set<string>;
  /** Non-stop stems of the paragraph text, in order (for adjacency). */
  sequence: string[];
  length: number;
}

/**
 * @example
 * const index = new ParagraphIndex(corpus);
 * index.search([{ word: 'ballot', alternatives: [{ stems: ['ballot'], weight: 1 }], focus: true, boost: 1 }]);
 */
export class ParagraphIndex {
  readonly options: IndexOptions;
  private readonly docs: DocStats[] = [];
  private readonly df = new Map<string, number>();
  private readonly flex: Index;
  private readonly avgLength: number;
  private vocabByLength: Map<number, string[]> | undefined;

  /**
   * @param extraTerms pseudo-terms to index with a paragraph at full weight, such as `@russia` for
   *   the actors it names, so a query can ask for an actor however the paragraph spells it.
   */
  constructor(corpus: Corpus, options: Partial<IndexOptions> = {}, extraTerms?: (p: Paragraph) => string[]) {
    this.options = { ...DEFAULT_INDEX_OPTIONS, ...options };
    this.flex = new Index({ tokenize: 'strict', encode: (s: string) => s.split(' ').filter(Boolean) });
    const summaries = new Map<string, string[]>();
    for (const c of corpus.claims) {
      const key = `${c.source}#${c.paragraph}`;
      summaries.set(key, [...(summaries.get(key) ?? []), c.summary]);
    }
    let total = 0;
    for (const source of corpus.sources.values()) {
      const header = termsOf(`${source.title} ${source.publisher}`);
      for (const p of source.paragraphs) {
        const sequence = termsOf(p.text);
        const summary = (summaries.get(`${p.source}#${p.n}`) ?? []).flatMap(termsOf);
        const tf = new Map<string, number>();
        const add = (terms: string[], w: number) => {
          for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + w);
        };
        add(sequence, 1);
        const extra = extraTerms ? extraTerms(p) : [];
        add(extra, 1);
        add(summary, this.options.summaryWeight);
        add(header, this.options.headerWeight);
        const id = this.docs.length;
        this.docs.push({ paragraph: p, tf, own: new Set([...sequence, ...extra]), sequence, length: sequence.length });
        total += sequence.length;
        for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
        this.flex.add(id, [...tf.keys()].join(' '));
      }
    }
    this.avgLength = this.docs.length ? total / this.docs.length : 1;
  }

  /** Number of paragraphs indexed. */
  get size(): number {
    return this.docs.length;
  }

  /** Whether a stem occurs anywhere in the corpus (text, summaries or headers). */
  has(stem: string): boolean {
    return this.df.has(stem);
  }

  /** Inverse document frequency of a stem (0 when absent). */
  idf(stem: string): number {
    const df = this.df.get(stem) ?? 0;
    if (df === 0) return 0;
    const n = this.docs.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The highest idf any stem can have here: what an unknown word is worth in coverage. */
  maxIdf(): number {
    const n = this.docs.length;
    return Math.log(1 + (n - 0.5) / 1.5);
  }

  /**
   * Corpus stems within the typo budget of a stem (not itself), closest first, then most common.
   *
   * @example index.nearStems('assasin') // ['assassin']
   */
  nearStems(word: string, max = typoBudget(word)): string[] {
    if (max === 0) return [];
    if (!this.vocabByLength) {
      this.vocabByLength = new Map();
      for (const t of this.df.keys()) {
        const list = this.vocabByLength.get(t.length) ?? [];
        list.push(t);
        this.vocabByLength.set(t.length, list);
      }
    }
    const found: [string, number][] = [];
    for (let len = word.length - max; len <= word.length + max; len++) {
      for (const t of this.vocabByLength.get(len) ?? []) {
        const d = editDistance(word, t, max);
        if (d <= max && t !== word && !t.startsWith('@')) found.push([t, d]);
      }
    }
    return found.sort((a, b) => a[1] - b[1] || (this.df.get(b[0]) ?? 0) - (this.df.get(a[0]) ?? 0)).map(([t]) => t);
  }

  /** Paragraphs containing every stem (flexsearch lookup). */
  private lookup(stems: string[]): number[] {
    return this.flex.search(stems.join(' '), { limit: this.docs.length || 1 }) as number[];
  }

  /**
   * Ranks paragraphs for a query. Only paragraphs matching at least one term are returned, best
   * first, at most `limit`.
   */
  search(terms: QueryTerm[], limit = 20): Hit[] {
    const { k1, b, adjacencyBonus } = this.options;
    const candidates = new Set<number>();
    for (const term of terms)
      for (const alt of term.alternatives) for (const id of this.lookup(alt.stems)) candidates.add(id);
    const focusMass = terms.filter((t) => t.focus).reduce((s, t) => s + this.termIdf(t), 0);
    const hits: Hit[] = [];
    for (const id of candidates) {
      const doc = this.docs[id] as DocStats;
      let score = 0;
      let covered = 0;
      const matched = new Set<string>();
      const matchedStem = new Map<number, string[]>();
      terms.forEach((term, ti) => {
        let best = 0;
        let bestStems: string[] | undefined;
        let inText = false;
        for (const alt of term.alternatives) {
          if (!alt.stems.every((s) => doc.tf.has(s))) continue;
          if (alt.stems.every((s) => doc.own.has(s))) inText = true;
          let s = 0;
          for (const stem of alt.stems) {
            const tf = doc.tf.get(stem) as number;
            s += (this.idf(stem) * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * doc.length) / this.avgLength));
          }
          s = (s / alt.stems.length) * alt.weight;
          if (!alt.stems.every((st) => doc.own.has(st))) s *= this.options.indirectWeight;
          if (s > best) {
            best = s;
            bestStems = alt.stems;
          }
        }
        if (bestStems) {
          score += best * term.boost;
          matched.add(term.word);
          matchedStem.set(ti, bestStems);
          // Found only in a claim summary or the source header: weaker evidence than the text.
          if (term.focus) covered += this.termIdf(term) * (inText ? 1 : this.options.indirectWeight);
        }
      });
      // Reward query words that stand side by side in the paragraph ("down-ballot candidates").
      for (let i = 0; i + 1 < terms.length; i++) {
        const a = matchedStem.get(i);
        const c = matchedStem.get(i + 1);
        if (!a || !c || !doc.own.has(a[a.length - 1] as string) || !doc.own.has(c[0] as string)) continue;
        if (adjacent(doc.sequence, a[a.length - 1] as string, c[0] as string)) {
          score += adjacencyBonus * Math.min(this.idf(a[a.length - 1] as string), this.idf(c[0] as string));
        }
      }
      hits.push({ paragraph: doc.paragraph, score, matched, coverage: focusMass > 0 ? covered / focusMass : 0 });
    }
    return hits
      .sort((x, y) => y.score - x.score || y.paragraph.source.localeCompare(x.paragraph.source))
      .slice(0, limit);
  }

  /** A term's worth in coverage: its best alternative's idf, or the maximum when unknown. */
  termIdf(term: QueryTerm): number {
    let best = 0;
    for (const alt of term.alternatives) {
      const idf = Math.min(...alt.stems.map((s) => this.idf(s)));
      if (idf > best) best = idf;
    }
    return best > 0 ? best : this.maxIdf();
  }
}

function adjacent(seq: string[], a: string, b: string): boolean {
  for (let i = 0; i + 1 < seq.length; i++) if (seq[i] === a && seq[i + 1] === b) return true;
  return false;
}
