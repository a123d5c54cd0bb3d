# bash completion for hardcompose; installed by `cmake --install` into
# share/bash-completion/completions/hardcompose.
_hardcompose() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion || return
  else
    cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  fi
  local opts="-w --write -c --check -d --diff -f --format -q --quiet --color --fail-on -p --profile -e --enable -x --disable -s --set -r --rule --config --no-config --stdin-filepath -j --jobs -l --list-transforms --list-rules -h --help -V --version -F --file --project --overlay"
  local ids
  case $prev in
    -f|--format) COMPREPLY=($(compgen -W "text json sarif codeclimate" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --fail-on) COMPREPLY=($(compgen -W "error warning note none" -- "$cur")); return ;;
    -p|--profile)
      COMPREPLY=($(compgen -W "baseline production strict none" -- "$cur") $(compgen -f -X '!*.y*ml' -- "$cur"))
      return ;;
    -e|--enable|-x|--disable)
      ids=$(hardcompose --list-transforms 2>/dev/null | awk '!/^ /{print $1}'; hardcompose --list-rules 2>/dev/null | awk '{print $1}')
      COMPREPLY=($(compgen -W "$ids" -- "$cur")); return ;;
    -r|--rule)
      ids=$(hardcompose --list-rules 2>/dev/null | awk '{print $1"="}')
      COMPREPLY=($(compgen -W "$ids" -- "$cur")); compopt -o nospace 2>/dev/null; return ;;
    -s|--set)
      ids=$(hardcompose --list-transforms 2>/dev/null | awk '/^    /{sub(/ .*/, "", $1); print $1"="}')
      COMPREPLY=($(compgen -W "$ids" -- "$cur")); compopt -o nospace 2>/dev/null; return ;;
    -j|--jobs) COMPREPLY=($(compgen -W "1 2 4 8" -- "$cur")); return ;;
    --config|--stdin-filepath) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ ${COMP_WORDS[1]} == pin && $prev == --lock ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  elif [[ ${COMP_WORDS[1]} == pin && ( $prev == -f || $prev == --format ) ]]; then
    COMPREPLY=($(compgen -W "text json sarif" -- "$cur"))
  elif [[ $cur == -* && ${COMP_WORDS[1]} == pin ]]; then
    COMPREPLY=($(compgen -W "-w --write -d --diff -c --check -f --format --lock --from-docker -h --help" -- "$cur"))
  elif [[ ${COMP_WORDS[1]} == pin ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  elif [[ $cur == -* && ${COMP_WORDS[1]} == lsp ]]; then
    COMPREPLY=($(compgen -W "--stdio -p --profile -e --enable -x --disable -s --set -r --rule --config --no-config -h --help" -- "$cur"))
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ ${COMP_WORDS[1]} == preflight ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  elif [[ ${COMP_WORDS[1]} == lsp ]]; then
    COMPREPLY=()
  else
    COMPREPLY=($(compgen -W "preflight lsp pin" -- "$cur") $(compgen -f -- "$cur"))
  fi
}
complete -F _hardcompose hardcompose
