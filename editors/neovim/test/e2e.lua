-- End-to-end test: start berth through the shipped config, open the django-compose example,
-- and check diagnostics, hover and completion.
--
--   nvim --headless -u NONE -i NONE -c "luafile editors/neovim/test/e2e.lua"
--
-- Environment: BERTH = the berth binary (default: `berth` on PATH), BERTH_E2E_TIMEOUT_MS =
-- how long to wait for each answer (default 20000). Exits 0 on success, 1 with a message on
-- stderr otherwise. Works on Neovim 0.7 (vim.lsp.start_client), 0.8-0.10 (vim.lsp.start)
-- and 0.11+ (vim.lsp.enable with lsp/berth.lua found on the runtimepath).

local timeout = tonumber(os.getenv('BERTH_E2E_TIMEOUT_MS') or '') or 20000
local berth = os.getenv('BERTH')
if berth == nil or berth == '' then
  berth = 'berth'
end

local function log(msg)
  io.stdout:write('e2e: ' .. msg .. '\n')
end

local function fail(msg)
  io.stderr:write('e2e: FAIL: ' .. msg .. '\n')
  io.stderr:flush()
  vim.cmd('cquit 1')
end

local function dirname(p)
  return (p:gsub('[/\\][^/\\]*$', ''))
end

local function exists(p)
  return vim.loop.fs_stat(p) ~= nil
end

-- editors/neovim/test/e2e.lua -> plugin folder and repository root.
local script = debug.getinfo(1, 'S').source:gsub('^@', '')
script = vim.fn.fnamemodify(script, ':p')
local plugin_dir = dirname(dirname(script))
local repo = dirname(dirname(plugin_dir))
local example = repo .. '/examples/django-compose'

local function nvim_at_least(minor)
  return vim.fn.has('nvim-0.' .. minor) == 1
end

local function setup()
  if vim.fn.executable(berth) ~= 1 then
    fail('berth binary not found or not executable: ' .. berth .. ' (set BERTH=/path/to/berth)')
  end
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd('filetype on')
end

-- The shipped config table, loaded the way the README tells pre-0.11 users to load it.
local function shipped_config()
  local config = dofile(plugin_dir .. '/lsp/berth.lua')
  if type(config) ~= 'table' or type(config.cmd) ~= 'table' or config.cmd[2] ~= 'lsp' then
    fail('lsp/berth.lua did not return a config table with cmd = {"berth", "lsp"}')
  end
  return config
end

-- root_markers in marker order, each searched upward (what Neovim 0.11 does).
local function find_root(file, markers)
  for _, marker in ipairs(markers) do
    local dir = dirname(file)
    while dir ~= '' do
      if exists(dir .. '/' .. marker) then
        return dir
      end
      local parent = dirname(dir)
      if parent == dir then
        break
      end
      dir = parent
    end
  end
  return dirname(file)
end

local legacy_client_id -- Neovim 0.7 only

-- Make sure berth is attached to `buf` (current buffer), however this Neovim does it.
local function attach(buf, config)
  local file = vim.api.nvim_buf_get_name(buf)
  local ft = vim.bo[buf].filetype
  if not vim.tbl_contains(config.filetypes, ft) then
    fail(file .. ' has filetype "' .. ft .. '", which berth is not configured for')
  end
  if vim.lsp.enable ~= nil then
    return -- vim.lsp.enable attaches on FileType
  end
  local cfg = vim.tbl_extend('force', config, {
    name = 'berth',
    cmd = { berth, 'lsp' },
    root_dir = find_root(file, config.root_markers),
  })
  if vim.lsp.start ~= nil then
    vim.lsp.start(cfg)
  else
    if legacy_client_id == nil then
      legacy_client_id = vim.lsp.start_client(cfg)
      if legacy_client_id == nil then
        fail('vim.lsp.start_client failed for ' .. berth)
      end
    end
    vim.lsp.buf_attach_client(buf, legacy_client_id)
  end
end

local function berth_client(buf)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf })
    or vim.lsp.buf_get_clients(buf)
  for _, c in pairs(clients) do
    if c.name == 'berth' then
      return c
    end
  end
  return nil
end

local function open(relpath, config)
  local path = example .. '/' .. relpath
  if not exists(path) then
    fail('missing example file ' .. path)
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  attach(buf, config)
  local ok = vim.wait(timeout, function()
    local c = berth_client(buf)
    return c ~= nil and c.initialized ~= false
  end, 50)
  if not ok then
    fail('berth did not attach to ' .. relpath .. ' within ' .. timeout .. ' ms')
  end
  return buf
end

local function berth_diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'berth' then
      table.insert(out, d)
    end
  end
  return out
end

local function wait_for_diagnostics(buf, relpath)
  local found
  local ok = vim.wait(timeout, function()
    found = berth_diagnostics(buf)
    return #found > 0
  end, 50)
  if not ok then
    local any = #vim.diagnostic.get(buf)
    fail(('no diagnostics with source "berth" on %s within %d ms (%d from other sources)')
      :format(relpath, timeout, any))
  end
  for _, d in ipairs(found) do
    log(('%s:%d:%d %s %s'):format(relpath, d.lnum + 1, d.col + 1, tostring(d.code or
      (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'), d.message))
  end
end

-- Position (0-based line, column) of the first occurrence of `needle` in `buf`. The example
-- files are ASCII, so byte, UTF-8 and UTF-16 columns agree.
local function find(buf, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return i - 1, col - 1
    end
  end
  fail('"' .. needle .. '" not found in ' .. vim.api.nvim_buf_get_name(buf))
end

-- An empty line after the first FROM, where any instruction (RUN included) may follow.
local function empty_line_after_from(buf)
  local seen_from = false
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if line:match('^%s*[Ff][Rr][Oo][Mm]%s') then
      seen_from = true
    elseif seen_from and line == '' then
      return i - 1
    end
  end
  fail('no empty line after FROM in ' .. vim.api.nvim_buf_get_name(buf))
end

local function request(buf, method, line, character)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = character },
  }
  if method == 'textDocument/completion' then
    params.context = { triggerKind = 1 }
  end
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, timeout)
  if responses == nil then
    fail(method .. ' got no answer: ' .. tostring(err))
  end
  local client = berth_client(buf)
  local response = client and responses[client.id]
  if response == nil then
    fail(method .. ': berth did not answer')
  end
  if response.err then
    fail(method .. ' failed: ' .. vim.inspect(response.err))
  end
  return response.result
end

local function hover_text(result)
  if result == nil or result == vim.NIL then
    return ''
  end
  local contents = result.contents
  if type(contents) == 'string' then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, c in ipairs(contents) do
    table.insert(parts, type(c) == 'string' and c or c.value or '')
  end
  return table.concat(parts, '\n')
end

local function completion_labels(result)
  if result == nil or result == vim.NIL then
    return {}
  end
  local items = result.items or result
  local labels = {}
  for _, item in ipairs(items) do
    table.insert(labels, item.label)
  end
  return labels
end

local function main()
  setup()
  local config = shipped_config()
  local version = vim.version()
  log(('Neovim %d.%d.%d, berth = %s'):format(version.major, version.minor, version.patch, berth))

  if vim.lsp.enable ~= nil then
    -- The real 0.11 path: lsp/berth.lua is found on the runtimepath; only cmd is overridden.
    vim.lsp.config('berth', { cmd = { berth, 'lsp' } })
    vim.lsp.enable('berth')
  end

  local compose = open('docker-compose.yml', config)
  if vim.bo[compose].filetype ~= 'yaml.docker-compose' then
    fail('docker-compose.yml has filetype ' .. vim.bo[compose].filetype)
  end
  local settings = open('app/settings/production.py', config)
  wait_for_diagnostics(compose, 'docker-compose.yml')
  wait_for_diagnostics(settings, 'app/settings/production.py')

  local line, col = find(compose, 'DATABSE_URL')
  local text = hover_text(request(compose, 'textDocument/hover', line, col + 2))
  if text:match('%S') == nil then
    fail('hover on DATABSE_URL in docker-compose.yml is empty')
  end
  log('hover on DATABSE_URL: ' .. text:gsub('\n.*', ' …'))

  local dockerfile = open('Dockerfile', config)
  local empty = empty_line_after_from(dockerfile)
  local labels = completion_labels(request(dockerfile, 'textDocument/completion', empty, 0))
  if not vim.tbl_contains(labels, 'RUN') then
    fail(('completion at Dockerfile:%d:1 has no RUN; got: %s'):format(empty + 1,
      table.concat(labels, ', ')))
  end
  log(('completion at Dockerfile:%d:1 offers %d items including RUN'):format(empty + 1, #labels))

  log('all checks passed')
  vim.cmd('qall!')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  fail(tostring(err))
end
