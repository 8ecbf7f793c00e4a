" .env files: KEY=value lines with # comments read well with shell highlighting.
if exists('b:current_syntax')
  finish
endif
runtime! syntax/sh.vim
unlet! b:current_syntax
let b:current_syntax = 'dotenv'
