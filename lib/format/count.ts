/**
 * The regular English plural of a word, keeping its case: "Rotation" → "Rotations", "Expiry" →
 * "Expiries", "Reminder" → "Reminders", "box" → "boxes". Appending "s" alone gave "Expirys";
 * irregular words ("person") pass their plural to `count` instead.
 */
export function plural(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}${caseOf(word, "ies")}`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}${caseOf(word, "es")}`;
  return `${word}${caseOf(word, "s")}`;
}

/** A suffix in upper case after an all-capital word ("KEY" → "KEYS"), else as given. */
const caseOf = (word: string, suffix: string) =>
  word.length > 1 && word === word.toUpperCase() && /[A-Z]/.test(word)
    ? suffix.toUpperCase()
    : suffix;

/** "1 assignment", "3 assignments", "2 days": English counts with a regular or given plural. */
export function count(n: number, singular: string, pluralForm = plural(singular)): string {
  return `${n.toLocaleString("en")} ${n === 1 ? singular : pluralForm}`;
}
