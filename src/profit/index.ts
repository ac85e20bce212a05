/**
 * The Profit client: AFAS Profit's REST API (GetConnectors, UpdateConnectors, metainfo, files) on undici.
 * Imports nothing from GraphQL or the emulator; it could be published on its own.
 *
 * ```ts
 * const connection = new ProfitConnection({ environment: { id: 12345, type: 'test' } });
 * const client = connection.client(afasToken(process.env.PROFIT_TOKEN!));
 * const { rows } = await client.get('Profit_Users', { orderBy: [{ field: 'UserId' }], take: 50 });
 * ```
 */
export { normalizeBaseUrl, type ProfitEnvironment, type ProfitEnvironmentType, profitBaseUrl } from './address.js';
export { type GetCallOptions, type GetResult, ProfitClient, type UpdateCallOptions } from './client.js';
export {
  type CallOptions,
  type LimiterRequest,
  MAX_REQUEST_BODY_BYTES,
  ProfitConnection,
  type ProfitConnectionOptions,
  type ProfitRequestEvent,
  type ProfitResponseEvent,
  type ProfitRetryOptions,
  type ProfitTransport,
  parseTokenResponse,
  type ResolvedConnectionOptions,
  resolveConnectionOptions,
  type SlotLimiter,
} from './connection.js';
export {
  AFAS_TOKEN_SHAPE,
  AfasTokenCredential,
  AuthorizationHeaderCredential,
  afasToken,
  authorizationHeader,
  buildAfasTokenHeader,
  type Credential,
  credentialFingerprint,
  isAfasToken,
  OAuthClientCredential,
  type OAuthClientOptions,
  oauthClient,
} from './credentials.js';
export {
  fromProfitDateTime,
  instantText,
  isProfitDateTime,
  PROFIT_DATETIME_PATTERN,
  PROFIT_TIME_ZONE,
  toProfitFilterDateTime,
} from './datetime.js';
export { formatPlainNumber, ProfitDecimal, toPlainDecimal } from './decimal.js';
export {
  assertQueryFits,
  type ChunkOptions,
  chunkFilterGroups,
  DEFAULT_SKIP,
  DEFAULT_TAKE,
  type EncodedQuery,
  type EncodeOptions,
  encodeGetQuery,
  type FilterForm,
  formatFilterValue,
  isListSafeGroup,
  MAX_QUERY_STRING_LENGTH,
  queryStringLength,
  resolvePaging,
  toQueryString,
} from './encode-query.js';
export {
  errorFromResponse,
  isNotGrantedMessage,
  ProfitError,
  type ProfitErrorBody,
  type ProfitErrorDetails,
  type ProfitErrorKind,
  parseErrorBody,
} from './errors.js';
export {
  collectFileStream,
  FileBodyDecoder,
  FileBodyError,
  openFileBody,
  type ProfitFileStream,
} from './file-body.js';
export {
  type Condition,
  type FilterGroup,
  type FilterValue,
  type GetQuery,
  OPERATOR_TYPE,
  type Operator,
  type SortKey,
} from './get-query.js';
export {
  type ColumnType,
  type ColumnTypes,
  convertCell,
  convertRow,
  type ExactReading,
  fromRow,
  jsonText,
  type ProfitRow,
  type ProfitRowsReading,
  type ProfitValue,
  parseProfitJson,
  parseProfitNumber,
  parseProfitRows,
  profitDay,
  type RowOptions,
  readProfitRows,
} from './json.js';
export { backoffDelay, Limiter } from './limiter.js';
export {
  type CodeTableValue,
  type ConnectorRef,
  type GetConnectorField,
  type GetConnectorMetainfo,
  IMAGE_FORMAT,
  type ImageFormat,
  type ProfitDataType,
  type ProfitFile,
  type ProfitMetainfo,
  type UpdateConnectorField,
  type UpdateConnectorMetainfo,
  type UpdateConnectorObject,
} from './results.js';
export { type CachedToken, LocalTokenCache, type TokenCache } from './send/authorize.js';
export { type Answer, compose, Exchange, type Send, type Wrapper } from './send/send.js';
export {
  type MissingConnector,
  type ProfitSnapshot,
  parseSnapshot,
  readSnapshot,
  SnapshotError,
  type SnapshotProgress,
  type SnapshotRecording,
  type TakeSnapshotOptions,
  takeSnapshot,
  writeSnapshot,
} from './snapshot.js';
export { compareDecimalText, compareText, type MergeResult, mergeSortedRows, rowComparator } from './sort-order.js';
export {
  type DeleteTarget,
  deletePath,
  parseUpdateResult,
  stringifyUpdateBody,
  toUpdateBody,
  type UpdateAction,
  type UpdateBody,
  type UpdateElement,
  type UpdateResult,
  type UpdateValue,
} from './update-body.js';
