/** A bad or missing setting: one line that names the setting, never a secret's value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
