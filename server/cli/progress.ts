/**
 * A progress line on stderr for long runs (rotation, backup, export, import): redrawn in place on a
 * terminal, a line per tenth otherwise (logs, CI).
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done: number, total: number, detail = ''): void {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const now = Date.now();
      if (tty) {
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const width = 28;
        const filled = Math.round(fraction * width);
        const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
        stream.write(
          `\r${label} [${bar}] ${Math.floor(fraction * 100)}% ${done}/${total} ${detail}`.padEnd(100),
        );
        drawn = true;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${label}: ${tenth * 10}% (${done}/${total})${detail ? ` ${detail}` : ''}\n`);
    },
    finish(): void {
      if (tty && drawn) stream.write('\n');
    },
  };
}
