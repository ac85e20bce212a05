/**
 * An UpdateConnector write over SOAP: `AppConnectorUpdate.asmx` `Execute(token, connectorType, connectorVersion,
 * dataXml)` (profit-api.md; AppConnectorTestTool Functions.cs; PracticalAfas src/Connection.php `sendData`), with
 * the body in its XML form (src/profit/xml/). Pure.
 *
 * REST says insert, update or delete with the HTTP verb (POST, PUT, DELETE); XML says it with the `Action`
 * attribute of each `Fields` (`<Fields Action="insert">`, required by Profit's XSDs). So a write's verb becomes the
 * `Action` of every `Fields` that does not name its own (`toUpdateXml`'s `action` option); one that names its own
 * keeps it, as on REST. A DELETE's keys become the key attributes of an element whose `Fields` say `delete`, one level
 * nested in the next for a nested row (unconfirmed for nested rows: AFAS documents the XML delete of one level).
 */
import { invalidArgument, isRecord } from '../errors.js';
import type { DeleteTarget, UpdateAction, UpdateBody, UpdateElement, UpdateResult } from '../update-body.js';
import { parseUpdateResult } from '../update-body.js';
import type { SoapCall } from './envelope.js';
import { parseXml } from './xml-text.js';

/** `connectorVersion` 1: the only version AFAS's examples and every public client send. */
const CONNECTOR_VERSION = '1';

export function executeCall(connectorType: string, dataXml: string): SoapCall {
  return {
    service: 'AppConnectorUpdate',
    operation: 'Execute',
    params: [
      ['connectorType', connectorType],
      ['connectorVersion', CONNECTOR_VERSION],
      ['dataXml', dataXml],
    ],
  };
}

/**
 * `body` with `action` on each top-level element that names none, in a `Fields` made for it when the element has
 * none (a KnEmployee body's `AfasEmployee` element may hold only sub-objects: XML has no other place for its
 * Action, and an element without one is not an insert). Pure.
 */
export function withTopAction(body: UpdateBody, action: UpdateAction): UpdateBody {
  const set = (e: Record<string, unknown>): Record<string, unknown> => {
    const fields = isRecord(e.Fields) ? e.Fields : {};
    if (fields['@Action'] !== undefined) return e;
    const out: Record<string, unknown> = {};
    // `Fields` comes before `Objects`, as the XSD's sequence has them.
    for (const [k, v] of Object.entries(e)) {
      if (k === 'Objects' && !('Fields' in out)) out.Fields = { '@Action': action };
      out[k] = k === 'Fields' ? { '@Action': action, ...fields } : v;
    }
    if (!('Fields' in out)) out.Fields = { '@Action': action };
    return out;
  };
  const out: UpdateBody = {};
  for (const [root, { Element }] of Object.entries(body)) {
    out[root] = { Element: Array.isArray(Element) ? Element.map(set) : set(Element) };
  }
  return out;
}

/**
 * The element tree of a DELETE: `{ SbId: 1 }` on `KnSubject` → `<KnSubject><Element SbId="1"><Fields
 * Action="delete"/></Element></KnSubject>`; levels nest as sub-objects, the last one deleted. Returns the root
 * object's name with its element.
 */
export function deleteElement(
  connectorId: string,
  target: Readonly<Record<string, string | number | bigint>> | readonly DeleteTarget[],
): { root: string; element: UpdateElement } {
  const levels: readonly DeleteTarget[] = Array.isArray(target)
    ? (target as readonly DeleteTarget[])
    : [{ object: connectorId, keys: target as Record<string, string | number | bigint> }];
  if (levels.length === 0) invalidArgument(`DELETE on ${connectorId} needs at least one key`);
  let element: UpdateElement | undefined;
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i] as DeleteTarget;
    if (Object.keys(level.keys).length === 0)
      invalidArgument(`DELETE on ${connectorId}/${level.object} needs at least one key`);
    const keys = Object.fromEntries(Object.entries(level.keys).map(([k, v]) => [k.replace(/^@/, ''), v]));
    const inner: UpdateElement | undefined = element;
    const innerName = levels[i + 1]?.object;
    element = inner === undefined ? { keys, action: 'delete' } : { keys, objects: { [innerName as string]: inner } };
  }
  return { root: (levels[0] as DeleteTarget).object, element: element as UpdateElement };
}

/**
 * Reads an `ExecuteResult`: empty (most updates and deletes), or `<results><KnSubject><SbId>1</SbId></KnSubject>
 * </results>` as REST's `{"results":{"KnSubject":{"SbId":"1"}}}`; of several entries of one connector, the last
 * (unconfirmed for Profit's SOAP). `undefined` when the shape is unexpected.
 */
export function readExecuteResult(xml: string): UpdateResult | undefined {
  if (xml.trim() === '') return { results: {} };
  let doc: unknown;
  try {
    doc = parseXml(xml);
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || !('results' in doc)) return undefined;
  const results = doc.results === '' ? {} : doc.results;
  if (!isRecord(results)) return undefined;
  // One entry per written element; REST's JSON holds one object per connector, the last element's keys (as the
  // emulator answers, src/emulator/company/types.ts `apply`): the last entry, so both transports answer alike.
  const last = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Array.isArray(v) ? v.at(-1) : v]));
  return parseUpdateResult({ results: last });
}
