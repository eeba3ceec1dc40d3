import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderChart } from './render.ts';

/** A chart of one template, rendered with `values`. */
function render(template: string, values: string, helpers = '') {
  const dir = mkdtempSync(path.join(tmpdir(), 'chart-'));
  mkdirSync(path.join(dir, 'templates'));
  writeFileSync(path.join(dir, 'Chart.yaml'), 'name: t\nversion: 0.1.0\nappVersion: "1.2"\n');
  writeFileSync(path.join(dir, 'values.yaml'), values);
  writeFileSync(path.join(dir, 'templates', 'a.yaml'), template);
  if (helpers) writeFileSync(path.join(dir, 'templates', '_helpers.tpl'), helpers);
  return renderChart(dir, { release: { name: 'rel', revision: 2 } });
}

describe('renderChart (the subset of Helm templates the chart uses)', () => {
  it('trims around {{- and -}}, ranges over a map in key order, quotes', () => {
    const template = `env:\n  {{- range $k, $v := .Values.env }}\n  - name: {{ $k }}\n    value: {{ $v | quote }}\n  {{- end }}\n`;
    const [object] = render(template, 'env:\n  B: 2\n  A: x\n');
    expect(object).toEqual({
      env: [
        { name: 'A', value: 'x' },
        { name: 'B', value: '2' },
      ],
    });
  });

  it('includes a define with nindent, toYaml with nindent, default and printf', () => {
    const helpers = `{{- define "labels" -}}\napp: {{ .Release.Name }}\nv: {{ .Chart.AppVersion | quote }}\n{{- end }}\n{{- define "secret" -}}\n{{ .Values.s | default (printf "%s-env" .Release.Name) }}\n{{- end }}`;
    const template = `metadata:\n  labels:\n    {{- include "labels" . | nindent 4 }}\n  name: {{ include "secret" . }}\nres:\n  {{- toYaml .Values.r | nindent 2 }}\n`;
    const [object] = render(template, 's: ""\nr: { b: 1, a: { c: 2 } }\n', helpers);
    expect(object).toEqual({
      metadata: { labels: { app: 'rel', v: '1.2' }, name: 'rel-env' },
      res: { a: { c: 2 }, b: 1 },
    });
  });

  it('renders if / else / not, and splits documents on ---', () => {
    const template = `{{- if not .Values.off }}\na: 1\n{{- else }}\na: 2\n{{- end }}\n---\nrev: {{ .Release.Revision }}\n`;
    expect(render(template, 'off: false\n')).toEqual([{ a: 1 }, { rev: 2 }]);
    expect(render(template, 'off: true\n')).toEqual([{ a: 2 }, { rev: 2 }]);
  });

  it('refuses a value the values file does not have (helm would print <no value>)', () => {
    expect(() => render('a: {{ .Values.missing.deep }}\n', 'present: 1\n')).toThrow(
      /\.Values\.missing\.deep/,
    );
  });

  it('refuses template actions it does not implement instead of guessing', () => {
    expect(() => render('{{ with .Values.a }}x{{ end }}\n', 'a: 1\n')).toThrow(/not supported/);
  });
});
