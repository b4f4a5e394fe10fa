// Placeholder until the 'assess' command lands; replaced by its own module.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write("'assess' is not available yet\n");
  return 2;
}
