" hardcompose.vim: harden compose files on save with hardcompose.
"
" On :write of compose.yaml, compose.*.yaml, docker-compose.yaml and
" docker-compose.*.yaml (.yml too), the buffer goes through
" `hardcompose --stdin-filepath FILE`. It is replaced only when hardcompose
" exits 0 and changed something; the cursor and the window's view are kept,
" and one `u` undoes the change. On an error the buffer stays as it is and
" the message is shown. Without the binary nothing happens.
"
" Settings: g:hardcompose_command (default "hardcompose"), and
" g:hardcompose_on_save = 0 to turn the autocommand off (:HardcomposeFormat
" still works).
if exists('g:loaded_hardcompose')
  finish
endif
let g:loaded_hardcompose = 1
let s:save_cpo = &cpoptions
set cpoptions&vim

function! s:Format() abort
  let l:bin = get(g:, 'hardcompose_command', 'hardcompose')
  if !executable(l:bin)
    echomsg 'hardcompose: ' . l:bin . ' not found; buffer left as it is'
    return
  endif
  let l:in = getline(1, '$')
  let l:cmd = shellescape(l:bin) . ' --stdin-filepath ' . shellescape(expand('%:p'))
  " the text as :write would save it (a final newline unless 'noeol')
  let l:text = join(l:in, "\n") . (&endofline || &fixendofline ? "\n" : '')
  let l:out = systemlist(l:cmd, l:text)
  if v:shell_error != 0
    echohl WarningMsg
    echomsg 'hardcompose: ' . join(l:out, ' | ')
    echohl None
    return
  endif
  if l:out ==# l:in
    return
  endif
  let l:view = winsaveview()
  call setline(1, l:out)
  if line('$') > len(l:out)
    silent execute (len(l:out) + 1) . ',$delete _'
  endif
  call winrestview(l:view)
endfunction

command! -bar HardcomposeFormat call s:Format()

augroup hardcompose
  autocmd!
  autocmd BufWritePre compose.yaml,compose.yml,compose.*.yaml,compose.*.yml,docker-compose.yaml,docker-compose.yml,docker-compose.*.yaml,docker-compose.*.yml
        \ if get(g:, 'hardcompose_on_save', 1) | call s:Format() | endif
augroup END

let &cpoptions = s:save_cpo
unlet s:save_cpo
