"""Checks editors/helix/languages.toml: valid TOML, only languages and servers Helix defines,
berth on every language, Helix's defaults kept, and the globs match the names berth handles.

Run: python3 editors/helix/test_languages.py (Python 3.11+, stdlib only).
"""

import fnmatch
import pathlib
import re
import sys
import tomllib
import unittest

HERE = pathlib.Path(__file__).resolve().parent
SNIPPET = HERE / "languages.toml"
README = HERE / "README.md"

# A few of the language names Helix's own languages.toml defines (the ones berth could touch
# and their neighbours). A typo such as "docker_compose" or "dotenv" would silently define a
# new, unused language in Helix; this list catches it.
HELIX_LANGUAGES = {
    "bash",
    "docker-compose",
    "dockerfile",
    "env",
    "git-ignore",
    "github-action",
    "htmldjango",
    "json",
    "python",
    "toml",
    "yaml",
}

# Helix's default language servers for the languages we extend, from its languages.toml.
# Our lists replace these, so they must still contain them, in the same order.
HELIX_DEFAULT_SERVERS = {
    "dockerfile": ["docker-langserver", "docker-language-server"],
    "docker-compose": ["docker-compose-langserver", "yaml-language-server", "docker-language-server"],
    "env": [],
    "python": ["ty", "ruff", "jedi", "pylsp", "zuban"],
}

# Helix's default file-types for languages whose file-types we replace.
HELIX_DEFAULT_FILE_TYPES = {
    "docker-compose": ["docker-compose.yaml", "docker-compose.yml", "compose.yaml", "compose.yml"],
    "env": [".env", ".env.*", ".envrc", ".envrc.*"],
}


def load():
    with SNIPPET.open("rb") as f:
        return tomllib.load(f)


def languages(config):
    return {lang["name"]: lang for lang in config.get("language", [])}


def server_names(lang):
    return [s if isinstance(s, str) else s["name"] for s in lang.get("language-servers", [])]


def globs(lang):
    return [ft["glob"] for ft in lang.get("file-types", []) if isinstance(ft, dict)]


def helix_glob_match(glob, path):
    # Helix matches a glob against the whole path, with `*/` in front when it has no `/`.
    return fnmatch.fnmatchcase(path, glob if "/" in glob else "*/" + glob)


def language_for(config, path):
    hits = [name for name, lang in languages(config).items()
            if any(helix_glob_match(g, path) for g in globs(lang))]
    return hits


class Snippet(unittest.TestCase):
    def test_berth_server(self):
        server = load()["language-server"]["berth"]
        self.assertEqual(server["command"], "berth")
        self.assertEqual(server["args"], ["lsp"])
        self.assertIsInstance(server["config"]["maskSecrets"], bool)
        self.assertIsInstance(server["config"]["rules"], dict)

    def test_only_helix_languages(self):
        names = list(languages(load()))
        self.assertEqual(sorted(names), sorted(set(names)), "a language is listed twice")
        for name in names:
            self.assertIn(name, HELIX_LANGUAGES, f"Helix has no language called {name!r}")

    def test_every_language_uses_berth_last(self):
        for name, lang in languages(load()).items():
            servers = server_names(lang)
            self.assertIn("berth", servers, name)
            self.assertEqual(servers[-1], "berth", f"{name}: berth should come last")

    def test_languages_berth_handles(self):
        self.assertEqual(set(languages(load())), set(HELIX_DEFAULT_SERVERS))

    def test_helix_defaults_kept(self):
        for name, lang in languages(load()).items():
            servers = [s for s in server_names(lang) if s != "berth"]
            self.assertEqual(servers, HELIX_DEFAULT_SERVERS[name], name)
            if "file-types" in lang:
                for default in HELIX_DEFAULT_FILE_TYPES[name]:
                    self.assertIn(default, globs(lang), f"{name} lost Helix's {default!r}")

    def test_servers_are_defined(self):
        config = load()
        helix_servers = {s for servers in HELIX_DEFAULT_SERVERS.values() for s in servers}
        ours = set(config.get("language-server", {}))
        for name, lang in languages(config).items():
            for server in server_names(lang):
                self.assertIn(server, helix_servers | ours, f"{name}: unknown server {server!r}")

    def test_compose_names(self):
        config = load()
        for name in ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml",
                     "compose.override.yaml", "docker-compose.override.yml", "compose.prod.yml",
                     "docker-compose-ci.yaml"]:
            self.assertEqual(language_for(config, f"/w/app/{name}"), ["docker-compose"], name)
        for name in ["config.yaml", "mycompose.yaml", "compose.json"]:
            self.assertEqual(language_for(config, f"/w/app/{name}"), [], name)

    def test_env_names(self):
        config = load()
        for name in [".env", ".env.local", ".env.production", "prod.env", "web.env"]:
            self.assertEqual(language_for(config, f"/w/app/{name}"), ["env"], name)
        for name in ["environment.yml", "settings.py", "env.py"]:
            self.assertEqual(language_for(config, f"/w/app/{name}"), [], name)

    def test_readme_shows_the_snippet(self):
        # The README's first ```toml block is the file itself, so the two cannot drift apart.
        block = re.search(r"```toml\n(.*?)```", README.read_text(), re.S)
        self.assertIsNotNone(block, "README.md has no ```toml block")
        self.assertEqual(block.group(1), SNIPPET.read_text())


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
