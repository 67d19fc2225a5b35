import { commands, type Command, type CompletionFlag } from './commands.js';
import { program } from './programName.js';

const usage = `usage: ${program} completion bash|zsh

Prints a completion script for the shell: commands, their flags, the values of the output, type
and sidecar-mode flags, and credential names of the current namespace for describe (read with
"credinject list", so with your kubeconfig and RBAC).

examples:
  source <(${program} completion bash)              # this shell; add it to ~/.bashrc to keep it
  ${program} completion zsh > "\${fpath[1]}/_credinject"   # zsh, then restart the shell
`;

const words = (list: readonly string[]): string => list.join(' ');

/** The bash `case` arm of one command: flags, the words a flag's value takes, positionals. */
function bashCommand(name: string, command: Command): string {
  const flagWords = words(command.flags.flatMap((flag) => flag.names));
  const valueArms = command.flags
    .filter((flag): flag is CompletionFlag & { values: NonNullable<CompletionFlag['values']> } => flag.values !== undefined)
    .map((flag) => {
      const reply = flag.values === 'file' ? 'COMPREPLY=($(compgen -f -- "$cur"))' : flag.values === 'free' ? 'COMPREPLY=()' : `COMPREPLY=($(compgen -W "${words(flag.values)}" -- "$cur"))`;
      return `        ${flag.names.join('|')}) ${reply}; return ;;`;
    });
  const positional =
    command.positional === 'credential'
      ? 'COMPREPLY=($(compgen -W "$(credinject list -o name 2>/dev/null | sed "s|^secret/||")" -- "$cur"))'
      : command.positional
        ? `COMPREPLY=($(compgen -W "${words(command.positional)}" -- "$cur"))`
        : 'COMPREPLY=()';
  return [
    `    ${name})`,
    '      case "$prev" in',
    ...valueArms,
    '      esac',
    `      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${flagWords}" -- "$cur")); else ${positional}; fi`,
    '      ;;',
  ].join('\n');
}

/** bash (also what kubectl's plugin completion and zsh's bashcompinit can use). */
export function bashCompletion(): string {
  return `# credinject bash completion: source <(credinject completion bash)
_credinject() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" command="\${COMP_WORDS[1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${words(Object.keys(commands))} --help --version" -- "$cur"))
    return
  fi
  case "$command" in
${Object.entries(commands).map(([name, command]) => bashCommand(name, command)).join('\n')}
  esac
}
complete -F _credinject credinject kubectl-credinject
`;
}

/** zsh: the same tables, through zsh's own `_arguments`-free helpers so no completion system setup is needed beyond compinit. */
export function zshCompletion(): string {
  const arms = Object.entries(commands).map(([name, command]) => {
    const values = command.flags
      .filter((flag) => flag.values !== undefined)
      .map((flag) => {
        const action = flag.values === 'file' ? '_files' : flag.values === 'free' ? ':' : `compadd -- ${words(flag.values as readonly string[])}`;
        return `        ${flag.names.join('|')}) ${action}; return ;;`;
      });
    const positional =
      command.positional === 'credential'
        ? 'compadd -- ${(f)"$(credinject list -o name 2>/dev/null | sed "s|^secret/||")"}'
        : command.positional
          ? `compadd -- ${words(command.positional)}`
          : ':';
    return [
      `    ${name})`,
      '      case "$prev" in',
      ...values,
      '      esac',
      `      if [[ "$cur" == -* ]]; then compadd -- ${words(command.flags.flatMap((flag) => flag.names))}; else ${positional}; fi`,
      '      ;;',
    ].join('\n');
  });
  return `#compdef credinject kubectl-credinject
# credinject zsh completion: credinject completion zsh > "\${fpath[1]}/_credinject"
_credinject() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  if (( CURRENT == 2 )); then
    compadd -- ${words(Object.keys(commands))} --help --version
    return
  fi
  case "\${words[2]}" in
${arms.join('\n')}
  esac
}
compdef _credinject credinject kubectl-credinject
`;
}

export interface CompletionIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export async function run(argv: string[], io: CompletionIo = process): Promise<number> {
  const [shell, ...rest] = argv;
  if (shell === '-h' || shell === '--help') return io.stdout.write(usage), 0;
  if (rest.length > 0 || (shell !== 'bash' && shell !== 'zsh')) {
    io.stderr.write(`credinject completion: name the shell, bash or zsh\n\n${usage}`);
    return 2;
  }
  io.stdout.write(shell === 'bash' ? bashCompletion() : zshCompletion());
  return 0;
}
