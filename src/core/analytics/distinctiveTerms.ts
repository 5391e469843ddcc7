/**
 * The most distinctive terms of groups of texts (an actor's actions per variation or per run).
 *
 * Terms are the tokens of SQLite's FTS4 `unicode61` tokenizer (the sql.js build compiles FTS3/4 in:
 * ENABLE_FTS3, with the fts4aux table): Unicode-aware, lower-cased, diacritics kept (so `Côte`
 * reads as `côte`), split at anything that is not a letter or digit. Using the database's own
 * tokenizer means a term we show is a term a `MATCH` query on the same text finds. English stop
 * words (the `stopword` package's list), tokens of one character and tokens without a letter
 * (`26`, `2024`) are dropped.
 *
 * **Distinctive** is the z-score of the log-odds ratio with an informative Dirichlet prior
 * (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 22) of a term in one group against all
 * the other groups together, with the whole set of texts as the prior:
 *
 *   δ = ln((yᵢ+α)/(nᵢ+α₀−yᵢ−α)) − ln((yⱼ+α)/(nⱼ+α₀−yⱼ−α)),  σ² = 1/(yᵢ+α) + 1/(yⱼ+α),  z = δ/σ
 *
 * where yᵢ, yⱼ are the term's occurrences in the group and in the others, nᵢ, nⱼ their numbers of
 * (kept) tokens, α = yᵢ+yⱼ and α₀ = nᵢ+nⱼ. A group's distinctive terms are those it uses (yᵢ > 0)
 * with z > 0, highest z first (ties: more occurrences, then alphabetical). With a single group
 * every z is 0, so nothing is distinctive: there is nothing to differ from.
 */
import { eng } from 'stopword';
import { loadSqlJs } from '../db/sqljs';

export interface DistinctiveTerm {
  term: string;
  /** Occurrences of the term in the group's texts. */
  count: number;
  /** Occurrences in the other groups' texts together. */
  otherCount: number;
  /** z-score of the log-odds ratio (group vs the others); > 0 means over-used by the group. */
  zScore: number;
}

export interface GroupTerms {
  /** Tokens of the group's texts after stop words, one-letter and letterless tokens are dropped. */
  tokens: number;
  terms: DistinctiveTerm[];
}

const STOP_WORDS = new Set(eng);
const LETTER = /\p{L}/u;

/**
 * Kept-term occurrences per group, counted by FTS4 in a private in-memory sql.js database (the
 * index itself is never written). Each text is stored with its group as the FTS4 language id, so
 * fts4aux returns one group's counts per query.
 */
export async function termCounts(groups: ReadonlyArray<ReadonlyArray<string>>): Promise<Array<Map<string, number>>> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.run(`CREATE VIRTUAL TABLE texts USING fts4(body, tokenize=unicode61 "remove_diacritics=0", languageid="grp")`);
    db.run('CREATE VIRTUAL TABLE terms USING fts4aux(texts)');
    const insert = db.prepare('INSERT INTO texts(body, grp) VALUES (?, ?)');
    try {
      groups.forEach((texts, g) => {
        for (const text of texts) if (text.trim() !== '') insert.run([text, g]);
      });
    } finally {
      insert.free();
    }
    const read = db.prepare(`SELECT term, occurrences FROM terms WHERE col = '*' AND languageid = ?`);
    try {
      return groups.map((_, g) => {
        const counts = new Map<string, number>();
        read.bind([g]);
        while (read.step()) {
          const [term, occurrences] = read.get() as [string, number];
          if (kept(term)) counts.set(term, occurrences);
        }
        read.reset();
        return counts;
      });
    } finally {
      read.free();
    }
  } finally {
    db.close();
  }
}

function kept(term: string): boolean {
  return [...term].length > 1 && LETTER.test(term) && !STOP_WORDS.has(term);
}

/**
 * Each group's `limit` most distinctive terms (definition in the file comment) from its term counts.
 * @param counts term → occurrences, one map per group (as termCounts returns them)
 */
export function distinctiveTerms(counts: ReadonlyArray<ReadonlyMap<string, number>>, limit: number): GroupTerms[] {
  const totals = new Map<string, number>();
  for (const group of counts) for (const [term, n] of group) totals.set(term, (totals.get(term) ?? 0) + n);
  const tokensOf = counts.map((group) => [...group.values()].reduce((s, n) => s + n, 0));
  const allTokens = tokensOf.reduce((s, n) => s + n, 0);
  return counts.map((group, g) => {
    const ni = tokensOf[g];
    const nj = allTokens - ni;
    const terms: DistinctiveTerm[] = [];
    for (const [term, yi] of group) {
      const alpha = totals.get(term)!;
      const yj = alpha - yi;
      const restI = ni + allTokens - yi - alpha;
      const restJ = nj + allTokens - yj - alpha;
      // A term that is every token has no odds; it cannot tell groups apart either.
      if (restI <= 0 || restJ <= 0) continue;
      const delta = Math.log((yi + alpha) / restI) - Math.log((yj + alpha) / restJ);
      const z = delta / Math.sqrt(1 / (yi + alpha) + 1 / (yj + alpha));
      if (z > 1e-12) terms.push({ term, count: yi, otherCount: yj, zScore: z });
    }
    terms.sort((a, b) => b.zScore - a.zScore || b.count - a.count || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    return { tokens: ni, terms: terms.slice(0, Math.max(0, limit)) };
  });
}
