// Placeholder until the 'scan' command lands; replaced by its own module.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write("'scan' is not available yet\n");
  return 2;
}
