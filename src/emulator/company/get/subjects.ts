/**
 * `ProfitSubjects` and `Profit_Subject_Attachments` (standard connectors): dossier items and their attachments.
 */
import { defineRows } from './rows.js';

export const subjectRows = defineRows((s) => s.data.subjects, {
  SbTy: (d) => d.type,
  SbId: (d) => d.subjectId,
  DaSe: (d) => d.submitted,
  Ds: (d) => d.subject,
  Memo: (d) => d.memo,
  Stat: (d) => d.status,
  DoId: (d) => d.number,
  FeV1: (d) => d.feature1,
  FeV2: (d) => d.feature2,
  FeV3: (d) => d.feature3,
  BcId: (d, s) => {
    const code = d.links.find((l) => l.bcCo !== null)?.bcCo?.toUpperCase() ?? '';
    return (s.index.organisations.get(code) ?? s.index.persons.get(code))?.bcId ?? null;
  },
  BcCd: (d) => d.links.find((l) => l.bcCo !== null)?.bcCo ?? null,
  ToEr: (d) => d.links.some((l) => l.kind === 'employer'),
});

// No file_size: oas/dossiers-en-bijlagen-en-workflows.json documents Profit_Subject_Attachments with
// attachment_id, subject_id, file_id and file_name only (file_size belongs to the reaction attachments).
export const attachmentRows = defineRows(
  (s) => s.data.subjects.flatMap((d) => d.attachments.map((a) => ({ subjectId: d.subjectId, ...a }))),
  {
    attachment_id: (a) => a.attachmentId,
    subject_id: (a) => a.subjectId,
    file_id: (a) => a.fileId,
    file_name: (a) => a.fileName,
  },
);
