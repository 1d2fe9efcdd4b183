/**
 * Search folding, the same in SQL (what the customers table stores in `search_text`) and in
 * TypeScript (what a query is turned into), so one matches the other: lower case, letters that
 * stand for two (æ, œ, ß, þ) spelled out, compatibility decomposition (NFKD: accents apart, ligatures
 * and full-width forms to plain letters), combining marks dropped, and the letters no decomposition
 * reaches (ø, ł, đ, ...) to their plain letter. "Ørsted" and "orsted", "Zoë" and "zoe" fold alike.
 */
const SPELLED_OUT: readonly (readonly [string, string])[] = [
  ['æ', 'ae'],
  ['œ', 'oe'],
  ['ß', 'ss'],
  ['þ', 'th'],
];
/** Letters with a stroke or bar: no Unicode decomposition, folded one for one. */
const STROKED_FROM = 'øłđðħıŧƀɨʉ';
const STROKED_TO = 'olddhitbiu';
/** Combining marks (the blocks NFKD leaves accents in); the SQL and the RegExp use the same ranges. */
const MARKS = '\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f';
// The class holds combining marks on purpose: they are what it removes, each on its own.
// eslint-disable-next-line no-misleading-character-class
const MARKS_RE = new RegExp(`[${MARKS}]`, 'gu');

/** A text folded for search (see above). */
export function searchFold(text: string): string {
  let folded = text.toLowerCase();
  for (const [from, to] of SPELLED_OUT) folded = folded.split(from).join(to);
  folded = folded.normalize('NFKD').replace(MARKS_RE, '');
  let out = '';
  for (const c of folded) {
    const i = STROKED_FROM.indexOf(c);
    out += i >= 0 ? STROKED_TO[i] : c;
  }
  return out;
}

/** The same folding as SQL over an expression (PostgreSQL 13+, UTF8 database). */
export function searchFoldSql(expression: string): string {
  let sql = `lower(${expression})`;
  for (const [from, to] of SPELLED_OUT) sql = `replace(${sql}, '${from}', '${to}')`;
  return `translate(regexp_replace(normalize(${sql}, NFKD), '[${MARKS}]', '', 'g'), '${STROKED_FROM}', '${STROKED_TO}')`;
}

/** Han, kana and other scripts written without spaces between words: searched character by character. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * The words a search text must all contain, folded: split at white space, and a run of a script
 * written without spaces (Chinese, Japanese, ...) split into its characters, so "陈伟" finds "伟 陈".
 */
export function searchWords(text: string): string[] {
  const words: string[] = [];
  for (const word of text.split(/\s+/u)) {
    let run = '';
    for (const c of word) {
      if (UNSPACED.test(c)) {
        if (run) words.push(run);
        run = '';
        words.push(c);
      } else {
        run += c;
      }
    }
    if (run) words.push(run);
  }
  return [...new Set(words.map(searchFold).filter((w) => w.length > 0))];
}
