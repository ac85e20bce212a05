/** Typed results of Profit's non-GetConnector endpoints, with pure shape checks. */
import { isRecord } from './errors.js';

export interface ConnectorRef {
  readonly id: string;
  readonly description: string;
}

/** `GET /metainfo`: exactly the connectors this credential's app connector grants. */
export interface ProfitMetainfo {
  readonly updateConnectors: readonly ConnectorRef[];
  readonly getConnectors: readonly ConnectorRef[];
  readonly info: {
    readonly envid: string;
    readonly appName: string;
    readonly group: string;
    /** As Profit sends it (`"0"` when the token does not expire). */
    readonly tokenExpiry: string;
  };
}

/** Metainfo `dataType` values seen in Profit; others are passed through. */
export type ProfitDataType = 'string' | 'int' | 'decimal' | 'boolean' | 'date' | 'blob';

/** A field of `GET /metainfo/get/{id}`. Filter and sort on `id`. */
export interface GetConnectorField {
  readonly id: string;
  readonly fieldId: string;
  readonly dataType: ProfitDataType | (string & {});
  readonly label: string;
  readonly length: number;
  readonly controlType: number;
  readonly decimals: number;
  readonly decimalsFieldId: string;
}

export interface GetConnectorMetainfo {
  readonly name: string;
  readonly description: string;
  readonly fields: readonly GetConnectorField[];
}

export interface CodeTableValue {
  readonly id: string;
  readonly description: string;
}

/** A field of `GET /metainfo/update/{id}`. Custom fields have GUID-like ids (`U…`). */
export interface UpdateConnectorField {
  readonly fieldId: string;
  readonly primaryKey: boolean;
  readonly dataType: ProfitDataType | (string & {});
  readonly label: string;
  readonly mandatory: boolean;
  readonly length: number;
  readonly decimals: number;
  readonly decimalFieldId: string;
  readonly notzero: boolean;
  readonly controlType: number;
  readonly values: readonly CodeTableValue[] | null;
}

export interface UpdateConnectorObject {
  readonly name: string;
  readonly fields: readonly UpdateConnectorField[];
  readonly objects: readonly UpdateConnectorObject[];
}

export interface UpdateConnectorMetainfo {
  readonly name: string;
  readonly description: string;
  readonly fields: readonly UpdateConnectorField[];
  readonly objects: readonly UpdateConnectorObject[];
}

/** A file from the Subject-, Report-, File- or ImageConnector, decoded from base64 `filedata`. */
export interface ProfitFile {
  readonly fileName?: string;
  readonly mimeType: string;
  readonly data: Buffer;
}

export type ImageFormat = 'original' | 'thumbnail' | 'medium';

/** `format` query values of the ImageConnector: original, thumbnail (≤ 64 px), medium (≤ 1000 px). */
export const IMAGE_FORMAT: Readonly<Record<ImageFormat, 0 | 1 | 2>> = Object.freeze({
  original: 0,
  thumbnail: 1,
  medium: 2,
});

const isArrayOfRecords = (v: unknown): v is Record<string, unknown>[] => Array.isArray(v) && v.every(isRecord);

export function isMetainfo(json: unknown): json is ProfitMetainfo {
  return (
    isRecord(json) &&
    isArrayOfRecords(json.getConnectors) &&
    isArrayOfRecords(json.updateConnectors) &&
    isRecord(json.info)
  );
}

export function isGetConnectorMetainfo(json: unknown): json is GetConnectorMetainfo {
  return isRecord(json) && typeof json.name === 'string' && isArrayOfRecords(json.fields);
}

export function isUpdateConnectorMetainfo(json: unknown): json is UpdateConnectorMetainfo {
  return isRecord(json) && typeof json.name === 'string' && isArrayOfRecords(json.fields);
}

/** Fills `objects: []` where Profit omits it, so callers can recurse without checks. Pure. */
export function normalizeUpdateMetainfo(m: UpdateConnectorMetainfo): UpdateConnectorMetainfo {
  const objects = (list: unknown): UpdateConnectorObject[] =>
    isArrayOfRecords(list)
      ? list.map((o) => ({
          ...(o as unknown as UpdateConnectorObject),
          fields: isArrayOfRecords(o.fields) ? (o.fields as unknown as UpdateConnectorField[]) : [],
          objects: objects(o.objects),
        }))
      : [];
  return { ...m, description: m.description ?? '', objects: objects(m.objects) };
}
