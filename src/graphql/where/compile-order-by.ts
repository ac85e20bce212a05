/** `compileOrderBy`: a GraphQL `orderBy` list (plain objects) → Profit sort keys. Pure. */
import type { SortKey } from '../../profit/index.js';
import { formatPath, showValue, WhereError } from './errors.js';
import type { FieldSpecs, OrderByInput } from './types.js';

/**
 * Compiles an `orderBy` into sort keys, then appends the key properties not already sorted on, ascending.
 * Profit sorts with SQL: rows that tie on every sort key come back in no fixed order, so pages would overlap or
 * skip rows; ending on the key makes the order total. Throws `WhereError` (paths `['orderBy', i, …]`) for an
 * unknown or unsortable property, a bad direction or a field listed twice; a `TypeError` for a key property that
 * is not in `fields` (a programming error).
 */
export function compileOrderBy(
  orderBy: readonly OrderByInput[] | undefined | null,
  fields: FieldSpecs,
  keyProperties: readonly string[],
): SortKey[] {
  const keys: SortKey[] = [];
  const seen = new Map<string, number>();
  (orderBy ?? []).forEach((item, i) => {
    const at = ['orderBy', i];
    if (typeof item !== 'object' || item === null) {
      throw new WhereError(at, 'invalid-filter', `\`${formatPath(at)}\` must be an object, got ${showValue(item)}`);
    }
    const { field: property, direction } = item;
    const fieldPath = [...at, 'field'];
    const spec = typeof property === 'string' ? fields.get(property) : undefined;
    if (spec === undefined) {
      throw new WhereError(
        fieldPath,
        'unknown-field',
        `\`${formatPath(fieldPath)}\`: ${showValue(property)} is not a field here`,
      );
    }
    if (spec.sortable === false) {
      throw new WhereError(fieldPath, 'not-sortable', `\`${formatPath(fieldPath)}\`: ${property} cannot be sorted on`);
    }
    if (direction !== undefined && direction !== null && direction !== 'ASC' && direction !== 'DESC') {
      const dirPath = [...at, 'direction'];
      throw new WhereError(
        dirPath,
        'invalid-direction',
        `\`${formatPath(dirPath)}\` must be ASC or DESC, got ${showValue(direction)}`,
      );
    }
    const earlier = seen.get(spec.connectorField);
    if (earlier !== undefined) {
      throw new WhereError(
        fieldPath,
        'duplicate-sort-field',
        `\`${formatPath(fieldPath)}\`: ${property} is already sorted on at orderBy.${earlier}`,
      );
    }
    seen.set(spec.connectorField, i);
    keys.push(direction === 'DESC' ? { field: spec.connectorField, descending: true } : { field: spec.connectorField });
  });
  for (const property of keyProperties) {
    const spec = fields.get(property);
    if (spec === undefined) throw new TypeError(`key property ${property} is not in the field specs`);
    if (seen.has(spec.connectorField)) continue;
    seen.set(spec.connectorField, -1);
    keys.push({ field: spec.connectorField });
  }
  return keys;
}
