-- Checks ftdetect/berth.lua and lsp/berth.lua without a server:
--   nvim --headless -u NONE -i NONE -c "luafile editors/neovim/test/filetypes.lua"

local script = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:gsub('^@', ''), ':p')
local plugin_dir = vim.fn.fnamemodify(script, ':h:h')
vim.opt.runtimepath:prepend(plugin_dir)
vim.cmd('filetype plugin on')
vim.cmd('syntax on')

local passed, failed = 0, 0
local function check(what, got, want)
  if got == want then
    passed = passed + 1
  else
    failed = failed + 1
    io.stderr:write(('FAIL %s: got %q, want %q\n'):format(what, tostring(got), tostring(want)))
  end
end

local dir = vim.fn.tempname()
vim.fn.mkdir(dir .. '/sub', 'p')
local cases = {
  ['compose.yaml'] = 'yaml.docker-compose',
  ['compose.yml'] = 'yaml.docker-compose',
  ['docker-compose.yml'] = 'yaml.docker-compose',
  ['docker-compose.yaml'] = 'yaml.docker-compose',
  ['compose.override.yaml'] = 'yaml.docker-compose',
  ['compose.prod.yml'] = 'yaml.docker-compose',
  ['docker-compose.override.yml'] = 'yaml.docker-compose',
  ['docker-compose-ci.yaml'] = 'yaml.docker-compose',
  ['sub/compose.yaml'] = 'yaml.docker-compose',
  ['.env'] = 'dotenv',
  ['.env.local'] = 'dotenv',
  ['.env.production'] = 'dotenv',
  ['prod.env'] = 'dotenv',
  ['sub/.env'] = 'dotenv',
  ['config.yaml'] = 'yaml',
  ['environment.yml'] = 'yaml',
  ['mycompose.yaml'] = 'yaml',
  ['settings.py'] = 'python',
  ['.env.py'] = 'python',
  ['Dockerfile'] = 'dockerfile',
}
for name, want in pairs(cases) do
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/' .. name))
  check(name, vim.bo.filetype, want)
  vim.cmd('bwipeout!')
end

-- ftplugin and syntax for dotenv
vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/.env'))
check('.env commentstring', vim.bo.commentstring, '# %s')
check('.env syntax', vim.b.current_syntax, 'dotenv')
vim.cmd('bwipeout!')

local ok, config = pcall(dofile, plugin_dir .. '/lsp/berth.lua')
check('lsp/berth.lua loads', ok, true)
if ok then
  check('cmd', table.concat(config.cmd, ' '), 'berth lsp')
  check('filetypes', table.concat(config.filetypes, ','), 'dockerfile,yaml.docker-compose,dotenv,python')
  check('root marker compose.yaml', vim.tbl_contains(config.root_markers, 'compose.yaml'), true)
  check('root marker manage.py', vim.tbl_contains(config.root_markers, 'manage.py'), true)
  check('init_options rules is a JSON object', vim.fn.json_encode(config.init_options),
    '{"maskSecrets": true, "rules": {}}')
end
if vim.lsp.config ~= nil then
  -- 0.11+: the file is found on the runtimepath by name.
  local resolved = vim.lsp.config.berth
  check('vim.lsp.config.berth resolves', resolved and resolved.cmd and resolved.cmd[1], 'berth')
end

io.stdout:write(('filetypes: %d passed, %d failed\n'):format(passed, failed))
vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
