import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One fault's measured figures: what the chaos suite prints (issue 14's table). */
export interface FaultRow {
  fault: string;
  /** Callers whose call the fault touched (in IVR, queued or talking at the moment of the fault). */
  callersAffected: number;
  /** Call rows missing afterwards (calls placed minus rows stored). */
  rowsLost: number;
  /** From the fault (or its end) to the measure of recovery this fault is judged by. */
  secondsToRecover: number | null;
  /** What recovered means here, in words. */
  recovered: string;
}

/** Collects the rows; print() writes them as a table to stdout and artifacts/chaos-report.md. */
export class FaultReport {
  private readonly rows: FaultRow[] = [];

  add(row: FaultRow): void {
    this.rows.push(row);
  }

  render(): string {
    const lines = ['| fault | callers affected | rows lost | seconds to recover | recovered means |', '|---|---|---|---|---|'];
    for (const r of this.rows) {
      lines.push(`| ${r.fault} | ${r.callersAffected} | ${r.rowsLost} | ${r.secondsToRecover === null ? '—' : r.secondsToRecover.toFixed(1)} | ${r.recovered} |`);
    }
    return lines.join('\n');
  }

  print(): void {
    if (this.rows.length === 0) return;
    const text = `chaos suite: measured on this machine\n${this.render()}\n`;
    process.stdout.write(`\n${text}`);
    const dir = path.resolve(__dirname, '..', '..', 'artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'chaos-report.md'), text);
  }
}
