-- lsp-nvim.lua: run by tests/lsp-nvim.sh inside Neovim with
-- editors/nvim/hardcompose-lsp.lua loaded and a compose file open: waits for
-- the diagnostics, applies the quick fix for `init`, writes the buffer to
-- $HC_OUT_FIX, formats, writes $HC_OUT_FMT, and reports to $HC_OUT_LOG.
local log = {}
local function say(s) table.insert(log, s) end
local buf = vim.api.nvim_get_current_buf()
local function lspdiag(d)
  return (d.user_data and d.user_data.lsp) or d
end
local got = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
say('diagnostics ' .. tostring(got) .. ' ' .. #vim.diagnostic.get(buf))
local init
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local l = lspdiag(d)
  say('diag ' .. tostring(l.code) .. ' ' .. d.lnum .. ':' .. d.col)
  if l.code == 'init' and not init then
    -- what vim.lsp.buf.code_action() sends: the line's diagnostics in LSP form
    for _, x in ipairs(vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum)) do
      if x.code == 'init' then init = x end
    end
  end
end
local client = vim.lsp.get_active_clients()[1]
if init and client then
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = init.range,
    context = { diagnostics = { init } },
  }
  local res = client.request_sync('textDocument/codeAction', params, 20000, buf)
  for _, a in ipairs((res and res.result) or {}) do
    say('action ' .. a.title)
    if a.title == 'hardcompose: apply init to web' then
      vim.lsp.util.apply_workspace_edit(a.edit, client.offset_encoding or 'utf-16')
    end
  end
end
vim.cmd('silent write! ' .. vim.fn.fnameescape(os.getenv('HC_OUT_FIX')))
if vim.lsp.buf.format then
  vim.lsp.buf.format({ timeout_ms = 20000 })
else
  vim.lsp.buf.formatting_sync(nil, 20000)
end
vim.cmd('silent write! ' .. vim.fn.fnameescape(os.getenv('HC_OUT_FMT')))
vim.fn.writefile(log, os.getenv('HC_OUT_LOG'))
vim.cmd('qa!')
