/**
 * The model: one class per entity, each bound to its GetConnector. Importing this module registers them all;
 * adding an entity means adding its file and a line here, and nothing in src/graphql.
 */
export { DossierItem } from './dossier-item.js';
export { DossierItemAttachment, mimeTypeOf } from './dossier-item-attachment.js';
export { Employee } from './employee.js';
export { Leave } from './leave.js';
export { Organisation } from './organisation.js';
export { Person } from './person.js';
export { Project } from './project.js';
export { EMPLOYEE_LIST_REPORT, ORGANISATION_LIST_REPORT } from './reports.js';
