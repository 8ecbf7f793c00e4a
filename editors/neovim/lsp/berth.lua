-- berth language server: Dockerfiles, Compose files, .env files and Python settings modules.
--
-- Neovim 0.11+ picks this file up from the runtimepath: `vim.lsp.enable('berth')`.
-- Older versions (and nvim-lspconfig) can load the same table with `dofile` (see README.md).
return {
  cmd = { 'berth', 'lsp' },
  filetypes = { 'dockerfile', 'yaml.docker-compose', 'dotenv', 'python' },
  -- Searched in this order, each upward from the file: the folder with the compose file is the
  -- project, even inside a larger repository.
  root_markers = {
    'compose.yaml',
    'compose.yml',
    'docker-compose.yaml',
    'docker-compose.yml',
    'manage.py',
    'pyproject.toml',
    '.git',
  },
  -- Same shape the VS Code extension sends; `settings` answers workspace/configuration.
  init_options = { rules = vim.empty_dict(), maskSecrets = true },
  settings = { berth = { rules = vim.empty_dict(), maskSecrets = true } },
}
