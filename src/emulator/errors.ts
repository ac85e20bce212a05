/**
 * The externalMessages the emulator answers with, in Dutch and English (`Accept-Language`, see language.ts). The
 * English texts are quoted from AFAS's pages where they exist; AFAS documents them in English only, so their Dutch
 * texts are the emulator's own (unconfirmed), phrased in the same style.
 */
import { ProfitRejection } from './company/types.js';

/** The errorNumber of Profit's "An unexpected error has occurred." (troubleshooting.md, skip=2&take=-1). */
export const UNEXPECTED_ERROR_NUMBER = -2147180999;

/** Invalid GetConnector parameters (bad skip/take pair, malformed filter): Profit's generic answer. */
export function unexpectedError(): ProfitRejection {
  return new ProfitRejection(
    { nl: 'Er is een onverwachte fout opgetreden.', en: 'An unexpected error has occurred.' },
    UNEXPECTED_ERROR_NUMBER,
  );
}

/** Documented text; the errorNumber is unconfirmed (Profit's generic number is used). */
export function fieldNotFound(fieldId: string): ProfitRejection {
  return new ProfitRejection(
    { nl: `Connectorveld '${fieldId}' niet gevonden`, en: `Connector field '${fieldId}' not found` },
    UNEXPECTED_ERROR_NUMBER,
  );
}

/**
 * A connector that does not exist or is not granted to the token's app connector. The GetConnector text is
 * documented (troubleshooting.md); the UpdateConnector and special-connector texts copy its pattern (unconfirmed).
 *
 * unconfirmed: the status. AFAS's OAS describes 401 as "valid token but no access to this endpoint" (body-less),
 * while troubleshooting.md lists this text as an error message, which only a body can carry. The emulator answers
 * 500 with this externalMessage, for GetConnectors, UpdateConnectors, metainfo and the special connectors alike,
 * and keeps 401 for a missing, malformed, unknown or expired token.
 */
export function notAuthorized(kind: string): ProfitRejection {
  return new ProfitRejection(
    {
      nl: `${kind} wordt niet ondersteund voor deze app of de gebruiker is niet geautoriseerd`,
      en: `${kind} not supported for this app or the user is not authorized`,
    },
    UNEXPECTED_ERROR_NUMBER,
  );
}
