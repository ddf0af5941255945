// Imported first by the CLI entry: when the workbench is about to open, put the terminal in raw mode
// before anything else loads, so keys typed during start-up (Enter included) reach the input line
// instead of being cooked into a line the first frame never sees.
const args = process.argv.slice(2);
const headless = args.some((arg) => arg === '-p' || arg.startsWith('--prompt') || arg === '--input' || arg.startsWith('--input=') || arg === '-h' || arg === '--help' || arg === '-v' || arg === '--version');
// `orbit doctor`, `orbit context`, …: a subcommand prints and exits; it has no input line.
const subcommand = args[0] !== undefined && !args[0].startsWith('-');
if (!headless && !subcommand && process.stdin.isTTY && process.stdout.isTTY) process.stdin.setRawMode(true);
