'use client';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { plural } from '@/lib/plural';
import { fmt, type LoadTestReport } from './report-types';

/** Where the box's CPU went over the steady phase: one row per process group. */
export function CpuTableCard({ report }: { report: LoadTestReport }) {
  const cpu = report.server.cpu;
  if (!cpu) return null;
  const columns = [
    { head: 'CPU-ms / request', show: cpu.requests > 0, key: 'msPerRequest' as const },
    { head: 'CPU-ms / event', show: cpu.events > 0, key: 'msPerEvent' as const },
    { head: 'CPU-ms / call', show: cpu.requests > 0 && cpu.events > 0, key: 'msPerCall' as const },
  ].filter((c) => c.show);
  return (
    <Card title="Where the CPU went">
      <p className="mb-2 text-sm text-slate-600">
        Steady phase: {fmt(cpu.windowS)} s on {plural(cpu.cores, 'core')} (100 % = the whole box),{' '}
        {plural(cpu.requests, 'request')}, {plural(cpu.events, 'event')}; the box was{' '}
        {fmt(cpu.boxBusyPercent)} % busy.
      </p>
      <Table>
        <thead>
          <tr>
            <Th>Process</Th>
            <Th className="text-right">CPU-ms</Th>
            <Th className="text-right">% of box</Th>
            {columns.map((c) => (
              <Th key={c.key} className="text-right">
                {c.head}
              </Th>
            ))}
            <Th>Note</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {cpu.rows.map((r) => (
            <tr key={r.role}>
              <Td>{r.process}</Td>
              <Td className="text-right tabular-nums">{fmt(r.cpuMs, 0)}</Td>
              <Td className="text-right tabular-nums">{fmt(r.percentOfBox)}</Td>
              {columns.map((c) => (
                <Td key={c.key} className="text-right tabular-nums">
                  {fmt(r[c.key], 3)}
                </Td>
              ))}
              <Td className="min-w-48 text-xs text-slate-500">{r.note}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

/** A soak's heap and RSS slope per process, fitted after the memory warm-up. */
export function MemorySlopeCard({ report }: { report: LoadTestReport }) {
  const memory = report.memory;
  if (!memory || memory.processes.length === 0) return null;
  return (
    <Card title="Memory slope">
      <p className="mb-2 text-sm text-slate-600">
        Least squares after the first {Math.round(memory.warmupS)} s; flat means |slope| ≤{' '}
        {memory.maxSlopeMbPerMin} MB/min.
      </p>
      <Table>
        <thead>
          <tr>
            <Th>Process</Th>
            <Th className="text-right">Points fitted</Th>
            <Th className="text-right">Heap MB/min</Th>
            <Th className="text-right">RSS MB/min</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {memory.processes.map((p) => (
            <tr key={p.id}>
              <Td className="font-mono text-xs">{p.id}</Td>
              <Td className="text-right tabular-nums">{p.fitPoints}</Td>
              <Td className="text-right tabular-nums">{fmt(p.heapSlopeMbPerMin, 2)}</Td>
              <Td className="text-right tabular-nums">{fmt(p.rssSlopeMbPerMin, 2)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}
