/**
 * The language of the emulator's messages, from the request's `Accept-Language`. AFAS's OpenAPI files
 * (`components.parameters.Accept-Language` in oas/*.json) list `en-us`, `nl-nl`, `nl-be`, `fr-fr` and `de-de`, and say
 * that without the header Profit answers in the environment's base language: Dutch for the demo company.
 *
 * The emulator writes Dutch and English; a request asking only for another language (`fr-fr`, `de-de`) gets the
 * base language (unconfirmed: Profit has texts in those languages too).
 */
import type { Language } from './company/types.js';

/** The base language of the demo environment. */
export const BASE_LANGUAGE: Language = 'nl';

/**
 * The first language of `header` (in order of its q-values, RFC 9110 §12.5.4) the emulator writes, else the base
 * language. `nl-nl`, `nl-be`, `nl` → Dutch; `en-us`, `en-gb`, `en` → English.
 */
export function languageOf(header: string | string[] | undefined): Language {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return BASE_LANGUAGE;
  const ranked = text
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { primary } of ranked) if (primary === 'nl' || primary === 'en') return primary;
  return BASE_LANGUAGE;
}
