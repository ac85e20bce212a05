/**
 * The demo company's mutable state behind the `CompanyStore` contract. Tables are plain data (a snapshot is a
 * plain deep copy); file contents are immutable buffers shared between snapshots, so a snapshot
 * copies only the map that names them.
 */

import { datetimeCell, dayNumber } from './calendar.js';
import type {
  AddressRecord,
  AppointmentRecord,
  CompanyData,
  EmployeeRecord,
  OrganisationRecord,
  PersonRecord,
  ProjectRecord,
  SubjectRecord,
  UserRecord,
} from './data.js';
import { renderImage, storedFile } from './files/pool.js';
import type { CompanyStore, StoredFile } from './types.js';

interface Snapshot {
  readonly data: CompanyData;
  readonly files: Map<string, StoredFile>;
}

/** Lookups by key. Profit's codes compare case-insensitively (SQL Server collation), so keys are upper-cased. */
export interface Indexes {
  readonly addresses: ReadonlyMap<number, AddressRecord>;
  readonly organisations: ReadonlyMap<string, OrganisationRecord>;
  readonly persons: ReadonlyMap<string, PersonRecord>;
  readonly employees: ReadonlyMap<string, EmployeeRecord>;
  readonly employers: ReadonlyMap<string, OrganisationRecord>;
  readonly projects: ReadonlyMap<string, ProjectRecord>;
  readonly subjects: ReadonlyMap<number, SubjectRecord>;
  readonly employeeByPerson: ReadonlyMap<string, EmployeeRecord>;
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly appointments: ReadonlyMap<number, AppointmentRecord>;
}

/**
 * A deep copy of the tables. Records are flat except for a few arrays, so spreading them is several times faster
 * than `structuredClone` (a snapshot is taken before every UpdateConnector call; at scale 100 that matters).
 */
export function cloneData(data: CompanyData): CompanyData {
  return {
    addresses: data.addresses.map((a) => ({ ...a })),
    organisations: data.organisations.map((o) => ({ ...o })),
    persons: data.persons.map((p) => ({ ...p })),
    employees: data.employees.map((e) => ({ ...e, bankAccounts: e.bankAccounts.map((b) => ({ ...b })) })),
    projects: data.projects.map((p) => ({ ...p, stages: p.stages.map((s) => ({ ...s })) })),
    subjects: data.subjects.map((s) => ({
      ...s,
      links: s.links.map((l) => ({ ...l })),
      attachments: s.attachments.map((a) => ({ ...a })),
      custom: { ...s.custom },
    })),
    leaves: data.leaves.map((l) => ({ ...l })),
    entitlements: data.entitlements.map((e) => ({ ...e })),
    users: data.users.map((u) => ({ ...u, groups: [...u.groups] })),
    appointments: data.appointments.map((a) => ({
      ...a,
      lines: a.lines.map((l) => ({ ...l })),
      custom: { ...a.custom },
    })),
    entries: data.entries.map((e) => ({ ...e, lines: e.lines.map((l) => ({ ...l })) })),
    vehicles: data.vehicles.map((v) => ({ ...v, readings: v.readings.map((r) => ({ ...r })) })),
    next: { ...data.next },
  };
}

export class DemoStore implements CompanyStore {
  private generation = 0;
  private cache = new Map<string, unknown>();
  private cacheGeneration = -1;
  private readonly imageCache = new Map<string, StoredFile>();

  constructor(
    public data: CompanyData,
    private files: Map<string, StoredFile>,
    private readonly images: ReadonlyMap<string, number>,
  ) {}

  snapshot(): unknown {
    const snapshot: Snapshot = { data: cloneData(this.data), files: new Map(this.files) };
    return snapshot;
  }

  restore(snapshot: unknown): void {
    const { data, files } = snapshot as Snapshot;
    // The snapshot stays usable for a second restore: take copies, not the snapshot's own objects.
    this.data = cloneData(data);
    this.files = new Map(files);
    this.changed();
  }

  /** To be called after every change to `data`: derived rows and indexes are rebuilt on next use. */
  changed(): void {
    this.generation++;
  }

  /** A value derived from the current data, computed once per generation. */
  derived<T>(key: string, compute: () => T): T {
    if (this.cacheGeneration !== this.generation) {
      this.cache = new Map();
      this.cacheGeneration = this.generation;
    }
    if (!this.cache.has(key)) this.cache.set(key, compute());
    return this.cache.get(key) as T;
  }

  get index(): Indexes {
    return this.derived('indexes', () => {
      const d = this.data;
      const upper = <T>(items: readonly T[], key: (item: T) => string) =>
        new Map(items.map((item) => [key(item).toUpperCase(), item]));
      return {
        addresses: new Map(d.addresses.map((a) => [a.id, a])),
        organisations: upper(d.organisations, (o) => o.bcCo),
        persons: upper(d.persons, (p) => p.bcCo),
        employees: upper(d.employees, (e) => e.employeeId),
        employers: upper(
          d.organisations.filter((o) => o.employerId !== null),
          (o) => o.employerId ?? '',
        ),
        projects: upper(d.projects, (p) => p.projectId),
        subjects: new Map(d.subjects.map((s) => [s.subjectId, s])),
        employeeByPerson: upper(d.employees, (e) => e.personBcCo),
        users: upper(d.users, (u) => u.userId),
        appointments: new Map(d.appointments.map((a) => [a.appointmentId, a])),
      };
    });
  }

  /**
   * The timestamp of a write: 2026-07-01 09:00:00 plus one second per write so far. Deterministic on purpose;
   * the emulator never reads the clock for data.
   */
  now(): string {
    const tick = this.data.next.tick++;
    return datetimeCell(dayNumber('2026-07-01') + Math.floor((9 * 3600 + tick) / 86400), (9 * 3600 + tick) % 86400);
  }

  putFile(fileId: string, file: StoredFile): void {
    this.files.set(fileId, file);
  }

  subjectFile(subjectId: string, fileId: string): StoredFile | undefined {
    const subject = this.index.subjects.get(Number(subjectId));
    if (!subject || !/^\d+$/.test(subjectId)) return undefined;
    const attachment = subject.attachments.find((a) => a.fileId.toUpperCase() === fileId.toUpperCase());
    return attachment && this.files.get(attachment.fileId);
  }

  file(fileId: string, fileName: string): StoredFile | undefined {
    const file = this.files.get(fileId.toUpperCase());
    return file && file.fileName === fileName ? file : undefined;
  }

  image(imageId: string, format: 0 | 1 | 2): StoredFile | undefined {
    const id = imageId.toUpperCase();
    const hue = this.images.get(id);
    if (hue === undefined) return undefined;
    const key = `${id}/${format}`;
    let file = this.imageCache.get(key);
    if (!file) {
      file = storedFile(`${id}${['', '_thumb', '_medium'][format]}.png`, renderImage(hue, format));
      this.imageCache.set(key, file);
    }
    return file;
  }

  imageIds(): readonly string[] {
    return [...this.images.keys()];
  }

  /** The ImageConnector's images are the photos of the first persons: BcCo → image id. */
  personImages(): ReadonlyMap<string, string> {
    return this.derived('personImages', () => {
      const ids = this.imageIds();
      return new Map(this.data.persons.slice(0, ids.length).map((p, i) => [p.bcCo, ids[i] as string]));
    });
  }
}
