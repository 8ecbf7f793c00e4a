-- File types berth's config expects: compose files as `yaml.docker-compose` (the name
-- nvim-lspconfig's compose servers use too) and env files as `dotenv`.

local function is_compose(name)
  local stem = name:lower():match('^(.*)%.ya?ml$')
  if not stem then
    return false
  end
  return stem == 'compose'
    or stem == 'docker-compose'
    or stem:match('^compose%.') ~= nil
    or stem:match('^docker%-compose[.-]') ~= nil
end

local function is_dotenv(name)
  local lower = name:lower()
  if lower == '.env' or lower:match('%.env$') then
    return true
  end
  -- `.env.local`, `.env.production`, `.env.example`, but not a Python module like `.env.py`.
  return lower:match('^%.env%.') ~= nil and not lower:match('%.py$')
end

local function detect(path)
  local name = path:match('[^/\\]+$') or path
  if is_compose(name) then
    return 'yaml.docker-compose'
  end
  if is_dotenv(name) then
    return 'dotenv'
  end
  return nil
end

if vim.filetype and vim.filetype.add and vim.fn.has('nvim-0.8') == 1 then
  -- A function on a catch-all pattern: one place decides, and a high priority beats the
  -- built-in `yaml`/`sh` guesses for these names.
  vim.filetype.add({
    pattern = {
      ['.*'] = {
        function(path)
          return detect(path)
        end,
        { priority = 10 },
      },
    },
  })
else
  -- Neovim 0.7 detects with filetype.vim, where vim.filetype.add is not consulted.
  vim.api.nvim_create_autocmd({ 'BufNewFile', 'BufRead' }, {
    pattern = '*',
    callback = function(args)
      local ft = detect(args.file)
      if ft then
        vim.bo[args.buf].filetype = ft
      end
    end,
  })
end
