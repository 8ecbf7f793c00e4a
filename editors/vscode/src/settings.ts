// VS Code settings -> what the server is told, both at `initialize` and when it asks through
// `workspace/configuration` for the `berth` section. One shape for both.

export type Level = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface ServerSettings {
  rules: Record<string, Level>;
  maskSecrets: boolean;
}

export interface Converted {
  settings: ServerSettings;
  /** Human-readable notes about settings that were ignored, for the output channel. */
  problems: string[];
}

const LEVELS: Record<string, Level> = {
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  information: 'information',
  info: 'information',
  hint: 'hint',
  off: 'off',
  none: 'off',
};

/** `raw` holds the values of `berth.rules` and `berth.maskSecrets`, unvalidated. */
export function toServerSettings(raw: { rules?: unknown; maskSecrets?: unknown }): Converted {
  const problems: string[] = [];
  const rules: Record<string, Level> = {};
  if (raw.rules !== undefined && raw.rules !== null) {
    if (typeof raw.rules !== 'object' || Array.isArray(raw.rules)) {
      problems.push('berth.rules must be an object mapping rule codes to a level; ignored.');
    } else {
      for (const [code, value] of Object.entries(raw.rules as Record<string, unknown>)) {
        const level = typeof value === 'string' ? LEVELS[value.trim().toLowerCase()] : undefined;
        if (code.trim() === '') {
          problems.push('berth.rules has an empty rule code; ignored.');
        } else if (level === undefined) {
          problems.push(
            `berth.rules: "${code}" has level ${JSON.stringify(value)}; ` +
              'expected one of error, warning, information, hint, off. Ignored.',
          );
        } else {
          rules[code.trim()] = level;
        }
      }
    }
  }
  let maskSecrets = true;
  if (typeof raw.maskSecrets === 'boolean') {
    maskSecrets = raw.maskSecrets;
  } else if (raw.maskSecrets !== undefined && raw.maskSecrets !== null) {
    problems.push('berth.maskSecrets must be true or false; using true.');
  }
  return { settings: { rules, maskSecrets }, problems };
}

/**
 * Answer for one `workspace/configuration` item: our section gets the converted settings,
 * anything else is left to the default handler (returns undefined).
 */
export function configurationFor(
  section: string | undefined,
  settings: ServerSettings,
): unknown | undefined {
  if (section === 'berth') {
    return settings;
  }
  if (section === 'berth.rules') {
    return settings.rules;
  }
  if (section === 'berth.maskSecrets') {
    return settings.maskSecrets;
  }
  return undefined;
}
