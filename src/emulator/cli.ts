/**
 * `npm run emulator`: starts the Profit emulator with the demo company and prints how to call it.
 */
import type { CompanyOptions, CreateCompany } from './company/types.js';
import { credentials, type Emulator, startEmulator } from './server.js';

export interface EmulatorCliOptions {
  /** @default process.env.EMULATOR_PORT, else 4010 */
  readonly port?: number;
  /** @default process.env.EMULATOR_HOST, else 127.0.0.1 */
  readonly host?: string;
  /** @default console.log */
  readonly print?: (line: string) => void;
  /** Close on SIGINT/SIGTERM and exit. @default true */
  readonly handleSignals?: boolean;
  /** @default the demo company */
  readonly createCompany?: CreateCompany;
  /**
   * Passed to `createCompany` (`--seed`, `--scale`); a seed or scale not given here comes from `EMULATOR_SEED` /
   * `EMULATOR_SCALE`, as for the embedded emulator. @default the company's own defaults
   */
  readonly company?: CompanyOptions;
}

/**
 * A setting of the emulator's CLI that cannot be used (`EMULATOR_PORT`, `EMULATOR_HOST`): the command answers it
 * with one line naming the variable, as the service does for its own settings.
 */
export class EmulatorSettingError extends Error {
  override readonly name = 'EmulatorSettingError';
}

/** `name` from the environment as a whole number in [min, max]; undefined when unset or empty. */
function wholeNumber(name: string, min: number, max: number): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new EmulatorSettingError(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** Starts the emulator, prints its base URL and every demo user's credentials; Ctrl-C closes it cleanly. */
export async function runEmulatorCli(options: EmulatorCliOptions = {}): Promise<Emulator> {
  const print = options.print ?? ((line: string) => console.log(line));
  const envPort = process.env.EMULATOR_PORT;
  const port = options.port ?? (envPort ? Number(envPort) : 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EmulatorSettingError(`EMULATOR_PORT must be a port number (0–65535), got '${envPort}'`);
  }
  const host = options.host ?? process.env.EMULATOR_HOST ?? '127.0.0.1';
  // The same variables, with the same bounds, as the embedded emulator (src/config): one setting, one company.
  // An option (`--seed`, `--scale`) wins over the variable.
  const seed = options.company?.seed ?? wholeNumber('EMULATOR_SEED', 0, 2 ** 31 - 1);
  const scale = options.company?.scale ?? wholeNumber('EMULATOR_SCALE', 1, 1000);
  const companyOptions: CompanyOptions = {
    ...options.company,
    ...(seed === undefined ? {} : { seed }),
    ...(scale === undefined ? {} : { scale }),
  };
  const emulator = await startEmulator({
    port,
    host,
    ...(options.createCompany ? { createCompany: options.createCompany } : {}),
    ...(Object.keys(companyOptions).length > 0 ? { company: companyOptions } : {}),
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new EmulatorSettingError(`EMULATOR_PORT ${port} cannot be used on ${host} (${code}): choose another port`);
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new EmulatorSettingError(`EMULATOR_HOST '${host}' is no address of this machine (${code})`);
    }
    throw error;
  });
  const company = emulator.company;
  print(`Profit emulator (environment ${company.envId}, Profit ${company.profitVersion})`);
  print(`  base URL:  ${emulator.baseUrl}`);
  print(`  SOAP:      ${emulator.url}/ProfitServices/AppConnector{Get,Update,Data,Subject}.asmx (?WSDL)`);
  print(`  admin:     ${emulator.url}/__emulator/{faults,faults/once,maintenance,log,reset,credentials}`);
  print('');
  for (const app of credentials(company)) {
    print(`App connector ${app.appConnector} (${app.appName})`);
    for (const user of app.users) {
      print(`  user ${user.name} (${user.userId}): ${user.description}`);
      print(`    Authorization: ${user.authorization}`);
    }
    for (const client of app.oauthClients) {
      print(`  OAuth client for ${client.user}: client_id=${client.clientId} client_secret=${client.clientSecret}`);
    }
    print('');
  }
  print(`OAuth: POST ${emulator.baseUrl}/oauth/token (grant_type=client_credentials&client_id=…&client_secret=…)`);
  print('Press Ctrl-C to stop.');

  if (options.handleSignals ?? true) {
    const stop = (signal: NodeJS.Signals) => {
      print(`\n${signal}: closing the Profit emulator`);
      emulator.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  return emulator;
}
