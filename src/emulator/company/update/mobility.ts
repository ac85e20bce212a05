/**
 * HrMobility: mileage readings of an employee's vehicle, as in update-connector.md's sub-object URL example
 * (`POST /connectors/HrMobility/HrEmployeeMobilityRegistration` with `@CcSn` and readings `DaEn`/`KmEn`).
 *
 * unconfirmed: AFAS documents only those three fields and no OAS schema; the labels are the emulator's. Vehicles
 * are not created through this connector: `@CcSn` must name an existing one. A reading may not be lower than an
 * earlier reading of the same vehicle, nor higher than a later one (Profit validates content like this; the exact
 * message is the emulator's).
 */

import type { VehicleRecord } from '../data.js';
import type { DemoStore } from '../store.js';
import type { UpdateConnectorDef, UpdateElement } from '../types.js';
import { children, date, field, integer, lastResult, object, reject } from './common.js';

const REGISTRATION = 'HrEmployeeMobilityRegistration';

function vehicleOf(store: DemoStore, element: UpdateElement): VehicleRecord | undefined {
  const id = integer(element, 'CcSn', 'Vervoermiddel');
  return id == null ? undefined : store.data.vehicles.find((v) => v.vehicleId === id);
}

/** The readings after adding `added`, sorted by date; rejects readings that go back in mileage. */
function merged(vehicle: VehicleRecord, added: readonly { date: string; km: number }[]) {
  const readings = [...vehicle.readings, ...added].sort((a, b) => a.date.localeCompare(b.date) || a.km - b.km);
  for (let i = 1; i < readings.length; i++) {
    const before = readings[i - 1];
    const reading = readings[i];
    if (before && reading && reading.km < before.km) {
      reject(
        `De kilometerstand ${reading.km} op ${reading.date.slice(0, 10)} is lager dan de stand ${before.km} ` +
          `op ${before.date.slice(0, 10)} van vervoermiddel ${vehicle.vehicleId}.`,
      );
    }
  }
  return readings;
}

function readingsOf(element: UpdateElement): { date: string; km: number }[] {
  return children(element, REGISTRATION).map((r) => {
    const day = date(r, 'DaEn', 'Datum');
    const km = integer(r, 'KmEn', 'Kilometerstand');
    if (!day) reject("Het veld 'Datum' (DaEn) is verplicht.");
    if (km == null) reject("Het veld 'Kilometerstand' (KmEn) is verplicht.");
    if (km < 0) reject('De kilometerstand mag niet negatief zijn.');
    return { date: day, km };
  });
}

export const hrMobility: UpdateConnectorDef = {
  id: 'HrMobility',
  description: 'Mobiliteit medewerker',
  name: 'HrMobility',
  methods: ['POST', 'PUT'],
  fields: [field('CcSn', 'int', 'Vervoermiddel', { key: true, mandatory: true })],
  objects: [
    object(REGISTRATION, [
      field('DaEn', 'date', 'Datum', { mandatory: true }),
      field('KmEn', 'int', 'Kilometerstand', { mandatory: true }),
    ]),
  ],
  check(_method, elements, store) {
    const demo = store as DemoStore;
    for (const element of elements) {
      const vehicle = vehicleOf(demo, element);
      if (!vehicle) reject(`Vervoermiddel ${integer(element, 'CcSn') ?? ''} bestaat niet.`);
      merged(vehicle, readingsOf(element));
    }
  },
  apply(_method, elements, store) {
    const demo = store as DemoStore;
    return lastResult(
      elements.map((element) => {
        const vehicle = vehicleOf(demo, element);
        if (!vehicle) reject(`Vervoermiddel ${integer(element, 'CcSn') ?? ''} bestaat niet.`);
        vehicle.readings = merged(vehicle, readingsOf(element));
        demo.changed();
        return { CcSn: String(vehicle.vehicleId) };
      }),
    );
  },
};
