/**
 * Command line: `npm run -s cli -- <command> ...`. Each command lives in its own module and
 * returns an exit code; usage errors exit 2 with one line per problem, never a stack trace.
 */
type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<{ run: Command }>> = {
  assess: () => import('./assess'),
  scan: () => import('./scan'),
  analyze: () => import('./analyze'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`usage: cli <${Object.keys(commands).join(' | ')}> ...\n`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (e) {
    // Last resort: a bug, not a user error. Say so plainly, without a stack trace.
    process.stderr.write(`internal error in '${name}': ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
