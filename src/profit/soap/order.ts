/**
 * An UpdateConnector body in the order its XSD demands. Profit's XSDs declare an object's fields, and its nested
 * objects, as an `xsd:sequence` in the order of the update metainfo (MegaChriz/afasprofit's stored XSDs; the
 * emulator's src/emulator/soap/xsd.ts generates them so), so an XML body must list them in that order. A JSON body
 * has no order, and callers build it in any: before it becomes XML, each `Fields` and each `Objects` list is put in
 * metainfo order. What the metainfo does not know stays, after the rest, for Profit to refuse by name. Pure.
 */
import { isRecord } from '../errors.js';
import type { UpdateConnectorMetainfo, UpdateConnectorObject } from '../results.js';
import type { UpdateBody } from '../update-body.js';

interface Shape {
  readonly fields: readonly { readonly fieldId: string }[];
  readonly objects: readonly UpdateConnectorObject[];
}

/** `body` with every level's fields and sub-objects in `metainfo`'s order; its root is the connector's top level. */
export function inMetainfoOrder(body: UpdateBody, metainfo: UpdateConnectorMetainfo): UpdateBody {
  const out: UpdateBody = {};
  for (const [root, value] of Object.entries(body)) out[root] = { Element: orderElements(value.Element, metainfo) };
  return out;
}

function orderElements(
  element: Record<string, unknown> | Record<string, unknown>[],
  shape: Shape,
): Record<string, unknown> | Record<string, unknown>[] {
  return Array.isArray(element) ? element.map((e) => orderElement(e, shape)) : orderElement(element, shape);
}

function rank<T>(names: readonly string[]): (a: [string, T], b: [string, T]) => number {
  const at = new Map(names.map((n, i) => [n, i]));
  const of = (n: string) => at.get(n) ?? Number.MAX_SAFE_INTEGER;
  // Array.prototype.sort is stable: names the metainfo does not know keep their order, after the known ones.
  return (a, b) => of(a[0]) - of(b[0]);
}

function orderElement(element: Record<string, unknown>, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(element)) {
    if (key === 'Fields' && isRecord(value)) {
      out.Fields = Object.fromEntries(
        Object.entries(value).sort(rank(['@Action', ...shape.fields.map((f) => f.fieldId)])),
      );
    } else if (key === 'Objects' && Array.isArray(value)) {
      const objects = value as Record<string, { Element: Record<string, unknown> | Record<string, unknown>[] }>[];
      const entries = objects.flatMap((o) => Object.entries(o)).sort(rank(shape.objects.map((o) => o.name)));
      out.Objects = entries.map(([name, sub]) => {
        const inner = shape.objects.find((o) => o.name === name);
        return { [name]: inner === undefined ? sub : { Element: orderElements(sub.Element, inner) } };
      });
    } else out[key] = value;
  }
  return out;
}
