/**
 * The demo model (`PROFIT_MODEL=demo`, the default): one class per entity, each bound to its GetConnector, and the
 * write declarations of src/model/write. Importing this module registers them all; adding an entity means adding
 * its file and a line here, and nothing in src/graphql. `resolvers`: the files and reports this model offers.
 */
import { fileResolvers } from '../graphql/files/index.js';
import type { GeneratedClass } from '../graphql/index.js';
import { DossierItemAttachmentFileResolver, PersonImageResolver } from './files.js';
import './write/index.js';

export { DossierItem } from './dossier-item.js';
export { DossierItemAttachment, mimeTypeOf } from './dossier-item-attachment.js';
export { Employee } from './employee.js';
export { Leave } from './leave.js';
export { Organisation } from './organisation.js';
export { Person } from './person.js';
export { Project } from './project.js';
export { EMPLOYEE_LIST_REPORT, ORGANISATION_LIST_REPORT } from './reports.js';

let own: readonly GeneratedClass[] | undefined;

/** The model's resolvers: files, images and reports (src/graphql/files), attachments' content and photos (./files.ts). */
export function resolvers(): readonly GeneratedClass[] {
  own ??= [...fileResolvers(), DossierItemAttachmentFileResolver, PersonImageResolver];
  return own;
}
