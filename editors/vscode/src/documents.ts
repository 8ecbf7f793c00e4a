// Which documents berth is given. Compose files opened as plain `yaml` (e.g. when another
// extension owns the association) are matched by name. One brace group of whole names: both
// VS Code's glob and minimatch read it the same way.
export const COMPOSE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
  'compose.*.yaml',
  'compose.*.yml',
  'docker-compose.*.yaml',
  'docker-compose.*.yml',
  'docker-compose-*.yaml',
  'docker-compose-*.yml',
];

export const COMPOSE_GLOB = `**/{${COMPOSE_NAMES.join(',')}}`;

export interface DocumentFilter {
  scheme: string;
  language: string;
  pattern?: string;
}

export const LANGUAGES = ['dockerfile', 'dockercompose', 'dotenv', 'python'];

export function documentSelector(): DocumentFilter[] {
  const filters: DocumentFilter[] = [];
  for (const scheme of ['file', 'untitled']) {
    for (const language of LANGUAGES) {
      filters.push({ scheme, language });
    }
  }
  filters.push({ scheme: 'file', language: 'yaml', pattern: COMPOSE_GLOB });
  return filters;
}
