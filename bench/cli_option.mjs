// The value after `--name` on the command line of a bench script, or `fallback`.
//
//   import { option } from './cli_option.mjs';
//   const url = option('url');
//   const rounds = Number(option('rounds', 3));

const args = process.argv.slice(2);

export function option(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

/** Whether the flag `--name` is on the command line. */
export function flag(name) {
  return args.includes(`--${name}`);
}
