// stopword 3 ships no types; only its English list is used (src/core/analytics/distinctiveTerms.ts).
declare module 'stopword' {
  export const eng: readonly string[];
}
