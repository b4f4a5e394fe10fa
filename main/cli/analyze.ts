// Placeholder until the 'analyze' command lands; replaced by its own module.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write("'analyze' is not available yet\n");
  return 2;
}
