/**
 * Word lists for Dutch-looking demo data. Some entries carry the characters that break naive filter encoders
 * and CSV exports on purpose: apostrophes ('s-Hertogenbosch, 't Hart), commas and semicolons in names, quotes,
 * and letters outside ASCII (Zoë, Müller, Çelik).
 */

export interface FirstName {
  readonly name: string;
  readonly gender: 'M' | 'V' | 'X';
}

export const FIRST_NAMES: readonly FirstName[] = [
  { name: 'Jan', gender: 'M' },
  { name: 'Pieter', gender: 'M' },
  { name: 'Daan', gender: 'M' },
  { name: 'Sem', gender: 'M' },
  { name: 'Lucas', gender: 'M' },
  { name: 'Thijs', gender: 'M' },
  { name: 'Bram', gender: 'M' },
  { name: 'Mohammed', gender: 'M' },
  { name: 'Emre', gender: 'M' },
  { name: 'Joris', gender: 'M' },
  { name: 'Kees', gender: 'M' },
  { name: 'Ruud', gender: 'M' },
  { name: 'Gerrit', gender: 'M' },
  { name: 'Noah', gender: 'M' },
  { name: 'Sanne', gender: 'V' },
  { name: 'Emma', gender: 'V' },
  { name: 'Julia', gender: 'V' },
  { name: 'Zoë', gender: 'V' },
  { name: 'Anouk', gender: 'V' },
  { name: 'Fleur', gender: 'V' },
  { name: 'Lotte', gender: 'V' },
  { name: 'Iris', gender: 'V' },
  { name: 'Fatma', gender: 'V' },
  { name: 'Noëlle', gender: 'V' },
  { name: 'Marieke', gender: 'V' },
  { name: 'Ingrid', gender: 'V' },
  { name: 'Sophie', gender: 'V' },
  { name: 'Chloé', gender: 'V' },
  { name: 'Robin', gender: 'X' },
  { name: 'Sam', gender: 'X' },
];

export interface LastName {
  readonly prefix: string | null;
  readonly name: string;
}

export const LAST_NAMES: readonly LastName[] = [
  { prefix: null, name: 'Jansen' },
  { prefix: 'de', name: 'Vries' },
  { prefix: 'van den', name: 'Berg' },
  { prefix: 'van', name: 'Dijk' },
  { prefix: null, name: 'Bakker' },
  { prefix: null, name: 'Visser' },
  { prefix: null, name: 'Smit' },
  { prefix: 'de', name: 'Jong' },
  { prefix: null, name: 'Mulder' },
  { prefix: 'de', name: 'Boer' },
  { prefix: null, name: 'Meijer' },
  { prefix: 'van der', name: 'Linden' },
  { prefix: null, name: 'Bos' },
  { prefix: null, name: 'Vos' },
  { prefix: 'van', name: 'Leeuwen' },
  { prefix: null, name: 'Dekker' },
  { prefix: "'t", name: 'Hart' },
  { prefix: null, name: 'Müller' },
  { prefix: null, name: 'Çelik' },
  { prefix: null, name: 'Yılmaz' },
  { prefix: null, name: "O'Neill" },
  { prefix: null, name: 'El Amrani' },
  { prefix: null, name: 'Kowalski' },
  { prefix: 'ter', name: 'Horst' },
  { prefix: null, name: 'Hendriks' },
  { prefix: null, name: 'Brouwer' },
  { prefix: 'van', name: 'Beek' },
  { prefix: null, name: 'Groen' },
  { prefix: null, name: 'Peeters' },
  { prefix: 'van', name: 'Ooststroom-Brummel' },
];

export interface City {
  readonly name: string;
  /** First two digits of its postal codes. */
  readonly zip: number;
}

export const CITIES: readonly City[] = [
  { name: 'Amsterdam', zip: 10 },
  { name: 'Rotterdam', zip: 30 },
  { name: 'Utrecht', zip: 35 },
  { name: "'s-Hertogenbosch", zip: 52 },
  { name: "'s-Gravenhage", zip: 25 },
  { name: 'Leusden', zip: 38 },
  { name: 'Eindhoven', zip: 56 },
  { name: 'Groningen', zip: 97 },
  { name: 'Zwolle', zip: 80 },
  { name: 'Leeuwarden', zip: 89 },
  { name: 'Haarlem', zip: 20 },
  { name: 'Maastricht', zip: 62 },
  { name: 'Arnhem', zip: 68 },
  { name: 'Den Helder', zip: 17 },
];

export const STREETS: readonly string[] = [
  'Philipsstraat',
  'Dorpsstraat',
  'Kerkstraat',
  'Stationsweg',
  'Molenweg',
  'Schoolstraat',
  'Nieuwe Gracht',
  'Lange Voorhout',
  'Koningin Wilhelminalaan',
  'Burgemeester de Withstraat',
  "Van 't Hoffstraat",
  'Oude Delft',
  'Ringweg-Oost',
  'Pr. Bernhardplein',
];

export const HOUSE_NUMBER_ADDITIONS: readonly string[] = ['A', 'B', 'bis', '1-hoog', 'II', 'rd'];

/** Organisation names; the first ones deliberately contain separators and quotes. */
export const ORGANISATION_NAMES: readonly string[] = [
  "Bakkerij 't Stoepje",
  'Jansen, Smit & Partners',
  'Installatiebedrijf De Vries; Noord',
  'De "Gouden" Leeuw B.V.',
  'Müller Logistik GmbH',
  'Çelik Bouw',
  'Groenvoorziening Oost',
  'Zorggroep Het Baken',
  'Advocatenkantoor Van den Berg',
  'Stichting Vrienden van het Rijksmuseum',
  'Transportbedrijf Vos',
  'IT Diensten Zuid',
  'Kinderopvang Zonnestraal',
  'Gemeentelijke Sportbedrijven',
  'Hotel De Wereld',
];

export const EMPLOYER_NAMES: readonly string[] = [
  'Demo Holding B.V.',
  'Demo Services B.V.',
  'Demo Zorg B.V.',
  'Demo Retail B.V.',
];

export const FUNCTIONS: readonly { readonly code: string; readonly name: string }[] = [
  { code: 'ADV', name: 'Adviseur' },
  { code: 'SADV', name: 'Senior adviseur' },
  { code: 'CONS', name: 'Consultant' },
  { code: 'DEV', name: 'Software developer' },
  { code: 'HRM', name: 'HR-adviseur' },
  { code: 'SAL', name: 'Salarisadministrateur' },
  { code: 'PM', name: 'Projectmanager' },
  { code: 'TL', name: 'Teamleider' },
  { code: 'ADM', name: 'Administratief medewerker' },
  { code: 'DIR', name: 'Directeur' },
];

export const DEPARTMENTS: readonly { readonly code: string; readonly name: string }[] = [
  { code: 'DIR', name: 'Directie' },
  { code: 'FIN', name: 'Financiën' },
  { code: 'HR', name: 'Personeelszaken' },
  { code: 'ICT', name: 'ICT' },
  { code: 'CONS', name: 'Consultancy' },
  { code: 'VERK', name: 'Verkoop, binnendienst' },
];

export const BANKS: readonly string[] = ['ABNA', 'INGB', 'RABO', 'SNSB', 'TRIO', 'ASNB', 'BUNQ', 'KNAB'];

/** Leave types (code table of the demo environment). */
export const LEAVE_TYPES: readonly { readonly code: string; readonly description: string }[] = [
  { code: 'V', description: 'Vakantieverlof' },
  { code: 'BV', description: 'Bijzonder verlof' },
  { code: 'ADV', description: 'ADV-verlof' },
  { code: 'OV', description: 'Ouderschapsverlof' },
];

/**
 * Reasons for leave: the standard values AFAS's specification lists, plus three codes this environment added to
 * its code table ("H", "HF", "V"), which AFAS's own examples use.
 */
export const LEAVE_REASONS: readonly { readonly id: string; readonly description: string }[] = [
  { id: 'TvT', description: 'Tijd-voor-tijd' },
  { id: 'Vak', description: 'Vakantie' },
  { id: '01', description: 'Huwelijk werknemer' },
  { id: '02', description: 'Huwelijk familie 1e graads' },
  { id: '03', description: 'Bevalling partner' },
  { id: '04', description: 'Overlijden partner/ongehuwde kinderen' },
  { id: '05', description: 'Overlijden gehuwde kinderen' },
  { id: '06', description: 'Overlijden ouders' },
  { id: '07', description: 'Overlijden grootouders/broers of zusters' },
  { id: '08', description: 'Dienstjubileum' },
  { id: '09', description: 'Huwelijkjubileum' },
  { id: '10', description: 'Huwelijksjubileum ouders/grootouders' },
  { id: '11', description: 'Verhuizing (zelfstandig wonen)' },
  { id: '12', description: 'Examen opleiding t.b.v. functie' },
  { id: 'H', description: 'Huwelijk' },
  { id: 'HF', description: 'Verhuizing' },
  { id: 'V', description: 'Vakantie' },
];

/** Dossier item types (negative: Profit's own; positive: the environment's). */
export const SUBJECT_TYPES: readonly { readonly id: number; readonly description: string }[] = [
  { id: -2, description: 'Loonstrook' },
  { id: -5, description: 'Inkoopfactuur' },
  { id: 2, description: 'Algemeen' },
  { id: 4, description: 'Notitie' },
  { id: 5, description: 'Correspondentie' },
  { id: 15, description: 'Document medewerker' },
  { id: 26, description: 'Projectdossier' },
  { id: 96, description: 'Boete' },
];

/** Strips diacritics and anything but letters: `Zoë` → `ZOE`, `O'Neill` → `ONEILL`. */
export function asciiUpper(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toUpperCase();
}

/** Address line 1 as Profit composes it. */
export function streetLine(street: string | null, number: number | null, addition: string | null): string | null {
  if (street === null) return null;
  return [street, number === null ? null : `${number}${addition ? ` ${addition}` : ''}`].filter(Boolean).join(' ');
}
