/**
 * A small handmade corpus and question sets for the evaluation tests, written to temp directories
 * that `removeTempDirs` removes. The shipped actors, gazetteer and thesaurus are reused so the
 * corpus loads and answers like the real one; the two sources and their claim are made up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const shippedDataDir = fileURLToPath(new URL('../../data', import.meta.url));

export const MARS = '2025-01-10-mars-statement';
export const VENUS = '2025-02-20-venus-report';

const SOURCES: Record<string, string> = {
  [MARS]: `title: Statement on Martian Influence Operations
publisher: Office of Planetary Elections (OPE)
date: 2025-01-10
url: https://example.gov/mars
kind: official

Operators based in Olympus Mons created counterfeit weather bulletins to confuse voters.

The bulletins were distributed through pirated radio towers in Nevada.

To date, no vote tally was altered by these operators.
`,
  [VENUS]: `title: Report on Venusian Hacking
publisher: Bureau of Orbital Security (BOS)
date: 2025-02-20
url: https://example.gov/venus
kind: official

Russian cyber actors stole campaign emails from a vendor of voting machines.

The stolen emails were leaked to reporters in Ohio.
`,
};

/** A document about neither planet, for the unseen suite. */
export const GANYMEDE_TEXT = `title: Notice on Ganymede Ballot Couriers
publisher: Jovian Elections Board (JEB)
date: 2025-03-01
url: https://example.gov/ganymede
kind: official

Couriers from Ganymede delivered forged ballot envelopes to three counties.

The envelopes carried a watermark of a lighthouse.
`;

const made: string[] = [];

/**
 * A fresh temp directory, removed by `removeTempDirs` (each test file calls it in `afterAll`, and
 * the process on exit, for a file whose collection failed before `afterAll` could run).
 */
export function tempDir(prefix = 'threatdesk-eval-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (made.length === 0) process.once('exit', removeTempDirs);
  made.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes the handmade data directory (two sources, one reviewed claim on MARS) and returns it. */
export function makeData(): string {
  const dir = path.join(tempDir(), 'data');
  fs.mkdirSync(path.join(dir, 'sources'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'claims'));
  for (const f of ['actors.json', 'gazetteer.json', 'thesaurus.json']) {
    fs.copyFileSync(path.join(shippedDataDir, f), path.join(dir, f));
  }
  for (const [id, text] of Object.entries(SOURCES)) fs.writeFileSync(path.join(dir, 'sources', `${id}.txt`), text);
  const claim = {
    id: 'mars-bulletins',
    source: MARS,
    paragraph: 1,
    actor: 'russia',
    type: 'tactic',
    quote: 'created counterfeit weather bulletins',
    summary: 'Operators created counterfeit weather bulletins.',
  };
  fs.writeFileSync(path.join(dir, 'claims', `${MARS}.json`), JSON.stringify([claim], null, 2));
  return dir;
}

/** The dev set of the handmade corpus: one case per outcome the scripted answers produce. */
export const DEV_CASES = [
  { q: 'Who made counterfeit weather bulletins?', any: ['counterfeit weather bulletins'] },
  { q: 'Where were the stolen emails leaked?', any: ['leaked to reporters in Ohio'], source: VENUS, paragraph: 2 },
  { q: 'Who rules Jupiter?', found: false },
  { q: 'What did the radio towers carry?', all: ['pirated radio towers', 'counterfeit weather bulletins'] },
];

/** Writes a sets directory: `dev.jsonl`, and with `unseen`, `unseen/sources/ganymede.txt` and a set on it. */
export function makeSets(options: { unseen?: boolean } = {}): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'dev.jsonl'), `${DEV_CASES.map((c) => JSON.stringify(c)).join('\n')}\n`);
  if (options.unseen) {
    fs.mkdirSync(path.join(dir, 'unseen', 'sources'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'unseen', 'sources', 'ganymede.txt'), GANYMEDE_TEXT);
    const cases = [
      { q: 'What did the envelopes carry?', any: ['watermark of a lighthouse'], doc: 'ganymede', paragraph: 2 },
      { q: 'Who rules Jupiter?', found: false },
    ];
    fs.writeFileSync(path.join(dir, 'unseen', 'questions.jsonl'), cases.map((c) => JSON.stringify(c)).join('\n'));
  }
  return dir;
}

/** Every file under a directory with its bytes, to show that it was left as it was. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const file = path.join(dir, f);
    if (fs.statSync(file).isFile()) out[f] = fs.readFileSync(file, 'utf8');
  }
  return out;
}
