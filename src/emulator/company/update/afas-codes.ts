/** AFAS's documented code tables, for the emulator's UpdateConnector metainfo. */
import { AFAS_CODE_TABLES, type CodeRow } from './afas-code-tables.js';

/**
 * AFAS's own code table of a field, as its OpenAPI file lists it (derived into `afas-code-tables.ts` by
 * `scripts/derive-code-tables.mjs`): the whole table, so the emulator accepts every code Profit does (210
 * nationalities, not a sample) and refuses the rest through the generic enumeration check. Throws at load for a
 * table AFAS does not document, so a typo cannot silently leave a field unchecked.
 */
export function afasCodes(connector: string, objectName: string, fieldId: string): readonly CodeRow[] {
  const rows = AFAS_CODE_TABLES[connector]?.[objectName]?.[fieldId];
  if (!rows) throw new Error(`AFAS documents no code table for ${connector} ${objectName}.${fieldId}`);
  return rows;
}
