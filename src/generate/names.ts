/**
 * Readable names for what metainfo calls by Profit ids: GraphQL type names (`Profit_Employees` → `Employee`),
 * camelCase fields (`DateBirth` → `dateBirth`, a custom field `U5C8…` → its label in camelCase), and the hints that
 * tell a day from a moment (metainfo says `date` for both). Pure.
 */

/** Words of an id or label: split on non-alphanumerics and lower→upper case changes, accents dropped. */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `Naam medewerker` → `naamMedewerker`; `BSN` → `bsn`; a leading digit gets the prefix `field`. */
export function camelCase(text: string): string {
  const words = wordsOf(text);
  if (words.length === 0) return '';
  const name = words
    .map((w, i) => {
      const lower = w.toLowerCase();
      return i === 0 ? lower : upperFirst(lower);
    })
    .join('');
  return /^[0-9]/.test(name) ? `field${upperFirst(name)}` : name;
}

export function pascalCase(text: string): string {
  return upperFirst(camelCase(text));
}

/** English and Dutch plural endings, longest first: `Activities` → `Activity`, `Medewerkers` → `Medewerker`. */
const SINGULAR: readonly (readonly [RegExp, string])[] = [
  [/ies$/, 'y'],
  [/(ss|sh|ch|x)es$/, '$1'],
  [/sses$/, 'ss'],
  [/([^s])s$/, '$1'],
  // Dutch doubles a consonant after a short vowel before -en: `Ritten` → `Rit`, `Cursussen` → `Cursus`.
  [/([^aeiou])\1en$/, '$1'],
  [/([^aeiou])en$/, '$1'],
];

/** The singular of a plural word (a best effort; the mapping file overrides it). */
export function singular(word: string): string {
  for (const [pattern, replacement] of SINGULAR) {
    if (pattern.test(word)) return word.replace(pattern, replacement);
  }
  return word;
}

/** A lower camelCase plural for a list relation: `Employee` → `employees`, `Activity` → `activities`. */
export function plural(name: string): string {
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|sh|ch|x)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/** Prefixes customers and AFAS put before a GetConnector's subject. */
const CONNECTOR_PREFIX = /^(Profit_?|AFAS_?|Afas_?)/;

/**
 * A singular type name from a GetConnector id (`Profit_Employees` → `Employee`, `Profit_OrgPer` → `OrgPer`), else
 * from its description when the id gives nothing usable. `keepPrefix`: `Profit_Residence` → `ProfitResidence`, for
 * a connector whose name without the prefix another connector already has.
 */
export function typeNameFor(id: string, description: string, options: { keepPrefix?: boolean } = {}): string {
  const fromId = wordsOf(options.keepPrefix ? id : id.replace(CONNECTOR_PREFIX, ''));
  const words = fromId.length > 0 ? fromId : wordsOf(description);
  if (words.length === 0) return 'Entity';
  const last = words.length - 1;
  const name = words.map((w, i) => upperFirst(i === last ? singular(w) : w)).join('');
  return /^[0-9]/.test(name) ? `T${name}` : name;
}

/**
 * Custom fields (vrije velden) have GUID-like ids (`U5C8A9E4B4F2A4D1B9E3F0A7C6D5E4F3A`): their label is the only
 * readable name.
 */
export function isCustomFieldId(id: string): boolean {
  return /^U[0-9A-F]{16,}$/i.test(id) || /^[0-9A-F]{8}-[0-9A-F]{4}-/i.test(id);
}

/**
 * Whether a `date` field holds a day rather than a moment, from its id and label (English and Dutch): birth dates,
 * dates in and out of service, `Da…` codes, `…Date` without a hint of a time. Modification and creation stamps, and
 * anything named with a time, start or end time, are moments. A guess the mapping file records and overrides.
 */
export function looksLikeDay(id: string, label: string): boolean {
  const text = `${wordsOf(id).join(' ')} ${wordsOf(label).join(' ')}`.toLowerCase();
  if (
    /\b(time|tijd|tijdstip|moment|modified|created|create|modify|changed|gewijzigd|aangemaakt|mutatie|stamp)\b/.test(
      text,
    )
  ) {
    return false;
  }
  return (
    /\b(birth|geboorte\w*|day|dag|datum|date|da|dt|dienst|service|period|periode)\b/.test(text) || /^Da[A-Z]/.test(id)
  );
}
