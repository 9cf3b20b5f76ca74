// The `driftline` command. Subcommands are wired as their issues land.
process.stderr.write('driftline: no commands yet\n');
process.exit(2);
