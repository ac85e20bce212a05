/**
 * What a Profit call's path names, for labels and span attributes: never an id, a file name or a query string
 * (they may hold personal data). Pure; shared by the metrics, the access log and the traces.
 */

export interface ProfitRoute {
  /** E.g. `/connectors/{connector}`, `/FileConnector/{fileId}/{fileName}`. */
  readonly template: string;
  /** The Get/UpdateConnector or the kind of file connector, e.g. `Profit_Users`, `FileConnector`. */
  readonly connector?: string;
}

/**
 * The template of a path the Profit client sends (src/profit/client.ts), keeping only what names a connector.
 * Pure. Connector ids come from the model, a bounded set; everything else is a placeholder.
 */
export function profitRoute(path: string): ProfitRoute {
  const [first = '', second, third, ...rest] = path.split('/').slice(1);
  const name = (segment: string | undefined) => (segment === undefined ? undefined : decodeSegment(segment));
  switch (first) {
    case 'connectors': {
      const connector = name(second);
      if (connector === undefined) return { template: '/connectors' };
      // `/connectors/{c}/{subObject}` for a sub-object write; a DELETE's path goes on with the record's keys.
      const tail = third === undefined ? '' : rest.length === 0 ? '/{subObject}' : '/{keys}';
      return { template: `/connectors/{connector}${tail}`, connector };
    }
    case 'metainfo': {
      const connector = second === 'get' || second === 'update' ? name(third) : undefined;
      return connector === undefined
        ? { template: '/metainfo' }
        : { template: `/metainfo/${second}/{connector}`, connector };
    }
    case 'SubjectConnector':
      return { template: '/SubjectConnector/{subjectId}/{fileId}', connector: first };
    case 'FileConnector':
      return { template: '/FileConnector/{fileId}/{fileName}', connector: first };
    case 'ReportConnector':
      return { template: '/ReportConnector/{reportId}', connector: first };
    case 'ImageConnector':
      return { template: '/ImageConnector/{imageId}', connector: first };
    case 'ProfitVersion':
    case 'oauth':
      return { template: path };
    default:
      // A path this list does not know yet: only its first segment, which could otherwise carry an id.
      return { template: `/${first}/…` };
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The connector a path names, as a bounded label: `/connectors/Profit_Users?…` → `Profit_Users`; the metainfo,
 * file connector, report and token paths by their first segment (`metainfo`, `fileconnector`, …), never an id.
 */
export function connectorOf(path: string): string {
  const segments =
    path
      .split('?')[0]
      ?.split('/')
      .filter((s) => s !== '') ?? [];
  if (segments[0] === 'connectors' && segments[1] !== undefined) return decodeSegment(segments[1]);
  return segments[0] ?? 'unknown';
}
