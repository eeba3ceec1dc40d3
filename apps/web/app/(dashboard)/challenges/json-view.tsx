'use client';
import { useEffect, useState } from 'react';
import { Textarea } from '@/components/ui/input';
import { asDefinitions, type DefinitionsDraft } from '@/lib/definitions';

/** The draft as JSON text; it reaches the form (and Save) only once it parses. */
export function JsonView({
  content,
  readOnly,
  onChange,
}: {
  content: unknown;
  readOnly: boolean;
  onChange: (content: DefinitionsDraft) => void;
}) {
  const [text, setText] = useState(() => JSON.stringify(content, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);
  useEffect(() => {
    setText((current) => {
      // Keep the user's formatting while what they typed is what the form holds.
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(content)) return current;
      } catch {
        return current;
      }
      return JSON.stringify(content, null, 2);
    });
  }, [content]);
  const change = (next: string) => {
    setText(next);
    try {
      const parsed = asDefinitions(JSON.parse(next));
      if (!parsed) throw new Error('expected an object with a "challenges" array');
      setParseError(null);
      onChange(parsed);
    } catch (error) {
      setParseError((error as Error).message);
    }
  };
  return (
    <div>
      <Textarea
        label="Definitions file (JSON)"
        rows={24}
        spellCheck={false}
        value={text}
        readOnly={readOnly}
        onChange={(e) => change(e.target.value)}
      />
      {parseError && (
        <p role="alert" className="mt-2 text-xs text-rose-600">
          Not saved: {parseError}
        </p>
      )}
    </div>
  );
}
