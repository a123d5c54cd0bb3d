-- hardcompose-lsp.lua: `hardcompose lsp` in Neovim's built-in LSP client
-- (Neovim 0.7 and later, no plugins): diagnostics while typing, quick fixes
-- (:lua vim.lsp.buf.code_action()), formatting. Load it from init.lua with
--   dofile('/usr/local/share/nvim/site/hardcompose-lsp.lua')
-- vim.g.hardcompose_lsp_cmd: the command (default { 'hardcompose', 'lsp' }).
local client_id
local function attach(buf)
  if not (client_id and vim.lsp.get_client_by_id(client_id)) then
    client_id = vim.lsp.start_client({
      name = 'hardcompose',
      cmd = vim.g.hardcompose_lsp_cmd or { 'hardcompose', 'lsp' },
      root_dir = vim.fn.getcwd(),
    })
  end
  if client_id then
    vim.lsp.buf_attach_client(buf, client_id)
  end
end
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'yaml',
  callback = function(args)
    attach(args.buf)
  end,
})
