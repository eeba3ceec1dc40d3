'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { type RouterOutputs, useTRPC } from '@/lib/trpc';
import { formatBytes } from './charts';

type FlameNode = RouterOutputs['profile']['flame'];
interface Box {
  node: FlameNode;
  x: number;
  width: number;
  depth: number;
}

const ROW = 18;
/** Narrower boxes are not drawn; their parents' widths still include them. */
const MIN_WIDTH = 1;

/** Warm colours by name, so one function keeps its colour across profiles. */
function colour(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i += 1) hash = (hash * 31 + name.charCodeAt(i)) | 0;
  const hue = 10 + (Math.abs(hash) % 40);
  return `hsl(${hue} 85% ${62 + (Math.abs(hash >> 8) % 14)}%)`;
}

/** Boxes of the tree under `root`, laid out to `width` pixels: callers above their callees. */
function layout(root: FlameNode, width: number): Box[] {
  const boxes: Box[] = [];
  const place = (node: FlameNode, x: number, w: number, depth: number) => {
    if (w < MIN_WIDTH) return;
    boxes.push({ node, x, width: w, depth });
    let offset = x;
    for (const child of node.children) {
      const cw = node.value > 0 ? (child.value / node.value) * w : 0;
      place(child, offset, cw, depth + 1);
      offset += cw;
    }
  };
  place(root, 0, width, 0);
  return boxes;
}

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** A flame graph (icicle: the root on top) of a stored profile; a click zooms into a frame. */
export function FlameGraph({ profileId, unit }: { profileId: string; unit: 'ms' | 'bytes' }) {
  const trpc = useTRPC();
  const tree = useQuery(
    trpc.profile.flame.queryOptions({ profileId }, { staleTime: Number.POSITIVE_INFINITY }),
  );
  const [focus, setFocus] = useState<FlameNode | null>(null);
  const { ref, width } = useWidth();
  const root = focus ?? tree.data;
  const total = tree.data?.value ?? 0;
  const amount = (v: number) => (unit === 'ms' ? `${v.toFixed(1)} ms` : formatBytes(v));
  const boxes = root && width > 0 ? layout(root, width) : [];
  const height = (Math.max(0, ...boxes.map((b) => b.depth)) + 1) * ROW;
  return (
    <div className="border-t border-slate-100 px-4 py-3" data-testid="flame-graph">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-700">
          Flame graph{' '}
          <span className="font-normal text-slate-400">
            (width is {unit === 'ms' ? 'time' : 'bytes'}, idle, program and GC left out; click a
            frame to zoom)
          </span>
        </h3>
        {focus && (
          <Button variant="secondary" size="sm" onClick={() => setFocus(null)}>
            Whole profile
          </Button>
        )}
      </div>
      {tree.isPending && <Loading />}
      {tree.isError && <ErrorText error={tree.error} />}
      <div ref={ref} className="overflow-x-hidden">
        {boxes.length > 0 && (
          <svg width={width} height={height} role="img" aria-label="Flame graph">
            {boxes.map((b) => {
              const share = total > 0 ? (b.node.value / total) * 100 : 0;
              return (
                // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; a focusable g with the button role is its accessible equivalent
                <g
                  key={`${b.depth}-${b.x}`}
                  transform={`translate(${b.x},${b.depth * ROW})`}
                  role="button"
                  tabIndex={0}
                  aria-label={`${b.node.name}, ${share.toFixed(1)} %`}
                  onClick={() => setFocus(b.depth === 0 ? null : b.node)}
                  onKeyDown={(event) => {
                    if (event.key !== 'Enter' && event.key !== ' ') return;
                    event.preventDefault();
                    setFocus(b.depth === 0 ? null : b.node);
                  }}
                  className="cursor-pointer"
                  data-frame={b.node.name}
                >
                  <title>
                    {`${b.node.name} ${b.node.location}\n${amount(b.node.value)} (${share.toFixed(1)} %)`}
                  </title>
                  <rect
                    width={Math.max(0, b.width - 1)}
                    height={ROW - 1}
                    rx={2}
                    fill={b.depth === 0 ? '#cbd5e1' : colour(b.node.name)}
                  />
                  {b.width > 40 && (
                    <text
                      x={4}
                      y={12.5}
                      fontSize={11}
                      fill="#1e293b"
                      className="pointer-events-none"
                    >
                      {b.node.name.slice(0, Math.floor((b.width - 8) / 6.5))}
                    </text>
                  )}
                </g>
              );
            })}
          </svg>
        )}
      </div>
    </div>
  );
}
