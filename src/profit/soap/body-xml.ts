/**
 * STOPGAP until h/xml's `toUpdateXml` (src/profit/xml/) is merged: the XML form of an UpdateConnector body, from the
 * JSON body's element model (`@`-keys as attributes, `Fields`, `Objects`, repeated `Element`s). Pure.
 */
import { ProfitDecimal } from '../decimal.js';
import { isRecord } from '../errors.js';
import type { UpdateBody } from '../update-body.js';
import { escapeAttribute, escapeText } from './xml-text.js';

function text(v: unknown): string {
  if (v instanceof ProfitDecimal) return v.text;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

function element(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (!isRecord(value))
    return value === null
      ? `<${name} xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`
      : `<${name}>${escapeText(text(value))}</${name}>`;
  let attrs = '';
  let inner = '';
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('@')) attrs += ` ${k.slice(1)}="${escapeAttribute(text(v))}"`;
    else if (k === 'Objects' && Array.isArray(v))
      inner += `<Objects>${v
        .map((o) =>
          Object.entries(o as object)
            .map(([n, x]) => element(n, x))
            .join(''),
        )
        .join('')}</Objects>`;
    else inner += element(k, v);
  }
  return inner === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${inner}</${name}>`;
}

export function toUpdateXml(body: UpdateBody): string {
  return Object.entries(body)
    .map(([name, v]) => element(name, v))
    .join('');
}
