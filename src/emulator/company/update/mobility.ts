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
      reject({
        nl:
          `De kilometerstand ${reading.km} op ${reading.date.slice(0, 10)} is lager dan de stand ${before.km} ` +
          `op ${before.date.slice(0, 10)} van vervoermiddel ${vehicle.vehicleId}.`,
        en:
          `The mileage ${reading.km} on ${reading.date.slice(0, 10)} is lower than the reading ${before.km} ` +
          `on ${before.date.slice(0, 10)} of vehicle ${vehicle.vehicleId}.`,
      });
    }
  }
  return readings;
}

function readingsOf(element: UpdateElement): { date: string; km: number }[] {
  return children(element, REGISTRATION).map((r) => {
    const day = date(r, 'DaEn', 'Datum');
    const km = integer(r, 'KmEn', 'Kilometerstand');
    if (!day) reject({ nl: "Het veld 'Datum' (DaEn) is verplicht.", en: "The field 'Datum' (DaEn) is mandatory." });
    if (km == null)
      reject({
        nl: "Het veld 'Kilometerstand' (KmEn) is verplicht.",
        en: "The field 'Kilometerstand' (KmEn) is mandatory.",
      });
    if (km < 0) reject({ nl: 'De kilometerstand mag niet negatief zijn.', en: 'The mileage may not be negative.' });
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
      if (!vehicle)
        reject({
          nl: `Vervoermiddel ${integer(element, 'CcSn') ?? ''} bestaat niet.`,
          en: `Vehicle ${integer(element, 'CcSn') ?? ''} does not exist.`,
        });
      merged(vehicle, readingsOf(element));
    }
  },
  apply(_method, elements, store) {
    const demo = store as DemoStore;
    return lastResult(
      elements.map((element) => {
        const vehicle = vehicleOf(demo, element);
        if (!vehicle)
          reject({
            nl: `Vervoermiddel ${integer(element, 'CcSn') ?? ''} bestaat niet.`,
            en: `Vehicle ${integer(element, 'CcSn') ?? ''} does not exist.`,
          });
        vehicle.readings = merged(vehicle, readingsOf(element));
        demo.changed();
        return { CcSn: String(vehicle.vehicleId) };
      }),
    );
  },
};
