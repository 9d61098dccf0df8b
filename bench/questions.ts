/**
 * The bench's fixed question set: templates for every intent, plain topic searches, list requests
 * and questions the corpus cannot answer, filled with varied actor names and years from a fixed
 * seed. Every run asks the same questions in the same order.
 */
import { seededRandom } from './seeded-random.ts';

/** What a question is meant to exercise: an intent, or `text`, `list`, `none` (not found). */
export type QuestionKind =
  | 'preference'
  | 'denial'
  | 'tactic'
  | 'threat'
  | 'intent'
  | 'assurance'
  | 'plot'
  | 'attribution'
  | 'sanction'
  | 'finding'
  | 'text'
  | 'list'
  | 'none';

/** `{a}` an actor as named, `{d}` its demonym, `{y}` a year. */
const TEMPLATES: Record<QuestionKind, string[]> = {
  preference: [
    "What is {a}'s preference?",
    'Who is {a} backing in {y}?',
    'Which candidate does {a} favor?',
    'Does {a} want Trump to win?',
    'Who does {a} oppose?',
    'Does {a} prefer Harris or Trump?',
  ],
  denial: [
    'Did {a} deny interfering?',
    'How did {a} respond to the allegations?',
    'Did {a} reject the accusations in {y}?',
    '{d} denial',
    'What did the {d} embassy say?',
  ],
  tactic: [
    'How does {a} spread disinformation?',
    'What tactics does {a} use?',
    'Did {d} hackers phish campaigns?',
    'What methods did {a} use in {y}?',
    'fake videos by {a}',
  ],
  threat: [
    'How does ODNI rank {a} as a threat?',
    'Is {a} the biggest threat?',
    'Who is the primary threat in {y}?',
    'How dangerous is {a}?',
  ],
  intent: [
    'What does {a} plan to do next?',
    "What is {a}'s goal?",
    'Why does {a} interfere?',
    'What does {a} intend after election day?',
  ],
  assurance: ['What assurance did {a} give?', 'Did {a} promise not to interfere?', 'Did {a} pledge anything in {y}?'],
  plot: ['Was there a plot by {a} to assassinate Trump?', 'assasination plot {a}', 'Did {a} plan violence?'],
  attribution: [
    'Who is behind the fake Georgia video?',
    'Is {a} behind the Gaza protests?',
    'Who was responsible for the Pennsylvania ballot video?',
    'Did {a} orchestrate the hack?',
  ],
  sanction: [
    'Who did Treasury sanction in {y}?',
    'What sanctions were imposed on {a}?',
    'Was {a} punished for interference?',
    'Who was designated in December {y}?',
  ],
  finding: [
    'Is there evidence {a} changed votes?',
    'Did anyone alter votes in {y}?',
    'Is there proof of tampering by {a}?',
    'Is there evidence tying Crooks to {a}?',
  ],
  text: [
    'pennsylvania ballot video',
    'down-ballot candidates',
    'stolen campaign material',
    'covert social media personas',
    'ripping up ballots',
    '{d} influence actors',
    'bribery video entertainer',
    'Haiti illegal voting video',
  ],
  list: ['denials', 'list all sanctions', 'every tactic of {a}', 'all {d} plots', 'threats'],
  none: [
    'What is the capital of France?',
    'Does Brazil have a preferred candidate?',
    'Who won the World Cup?',
    'Does North Korea have a preference?',
    'sourdough recipe',
    'Is {a} sending astronauts to Mars?',
  ],
};

/** Ways a question names an actor, and the actor's demonym. */
const ACTORS: [string[], string][] = [
  [['Russia', 'Moscow', 'the Kremlin', 'Putin', 'Rusia'], 'Russian'],
  [['Iran', 'Tehran', 'the IRGC', 'Khamenei'], 'Iranian'],
  [['China', 'Beijing', 'the PRC', 'Xi'], 'Chinese'],
  [['Cuba', 'Havana'], 'Cuban'],
  [['Venezuela', 'Caracas', 'Maduro'], 'Venezuelan'],
];
const YEARS = [2016, 2018, 2020, 2022, 2024];

/** One bench question. */
export interface BenchQuestion {
  kind: QuestionKind;
  text: string;
}

/**
 * `perKind` questions of every kind, interleaved so that any prefix is a mix.
 *
 * @example benchQuestions(50).length // 650
 */
export function benchQuestions(perKind = 50, seed = 9): BenchQuestion[] {
  const r = seededRandom(seed);
  const kinds = Object.keys(TEMPLATES) as QuestionKind[];
  const out: BenchQuestion[] = [];
  for (let i = 0; i < perKind; i++) {
    for (const kind of kinds) {
      const templates = TEMPLATES[kind];
      const [names, demonym] = r.pick(ACTORS);
      const text = (templates[i % templates.length] as string)
        .replaceAll('{a}', r.pick(names))
        .replaceAll('{d}', demonym)
        .replaceAll('{y}', String(r.pick(YEARS)));
      out.push({ kind, text });
    }
  }
  return out;
}
