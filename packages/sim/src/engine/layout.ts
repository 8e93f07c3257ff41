/**
 * Layouts of the records the hot path keeps in typed arrays (SPEC SIM-7): a record is
 * a run of bytes seen through a Float64Array and an Int32Array of the same buffer,
 * and each of its fields is a float64 or an int32. A layout is declared once, as its
 * fields in order, line by line; the offsets are derived from that at module load and
 * exported as module-level `const` numbers, as the literals before them were, so the hot
 * path's typed-array accesses stay what they were.
 *
 * Fields never overlap, with one declared exception: a layout's `alternatives` (a
 * union) — sets of fields that follow the last line's own fields and share those
 * bytes, of which a record holds one at a time (a slot's UDP or TCP fields, told
 * apart by its channel). `fieldOverlaps` lists any other overlap (layout.test.ts).
 */

/** A field's type: a float64 (8 bytes, at a multiple of 8) or an int32 (4 bytes). */
export type FieldType = 'f64' | 'i32';

/** Fields in order: name → type. */
export type Fields = Readonly<Record<string, FieldType>>;

/** The index of each field of `F` of type `T`, in the view of that type. */
export type Offsets<F, T extends FieldType> = {
  readonly [K in keyof F as F[K] extends T ? K : never]: number;
};

/** Every line's fields as one set (the lines of a layout have distinct field names). */
type AllFields<L extends readonly Fields[]> = UnionToIntersection<L[number]>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** A field's place, for checks and tools. */
export interface FieldPlace {
  name: string;
  type: FieldType;
  /** The alternative it belongs to; '' for the record's own fields. */
  alternative: string;
  /** Its line (0-based) and its bytes [byte, byte + size) from the record's start. */
  line: number;
  byte: number;
  size: number;
}

/** A declared layout with its derived offsets. */
export interface Layout<L extends readonly Fields[], A extends Record<string, Fields>> {
  readonly name: string;
  /** Bytes per line (every field lies within one), and per record (lines × lineBytes). */
  readonly lineBytes: number;
  readonly bytes: number;
  /** A record's length in each view: float64 and int32 words. */
  readonly f64Stride: number;
  readonly i32Stride: number;
  /** The record's own fields: index within a record in the Float64Array (f64) or Int32Array (i32) view. */
  readonly f64: Offsets<AllFields<L>, 'f64'>;
  readonly i32: Offsets<AllFields<L>, 'i32'>;
  /** Per alternative, its fields' indexes the same way. */
  readonly alternatives: {
    readonly [N in keyof A]: { readonly f64: Offsets<A[N], 'f64'>; readonly i32: Offsets<A[N], 'i32'> };
  };
  readonly places: readonly FieldPlace[];
}

/** What `defineLayout` takes. */
export interface LayoutSpec<L extends readonly Fields[], A extends Record<string, Fields>> {
  name: string;
  /** Bytes per line: 64 for a cache line, 32 for a half. A multiple of 8. */
  lineBytes: number;
  /** Each line's own fields in order from the line's start; a line may end with spare bytes. */
  lines: L;
  /** Fields that share the bytes after the last line's own fields (a union): a record holds one of them. */
  alternatives?: A;
}

const SIZE: Record<FieldType, number> = { f64: 8, i32: 4 };

/**
 * Derives a layout's offsets: each field right after the one before it in its line.
 * Throws (at module load) when a float64 would not be 8-byte aligned or a field would
 * cross its line's end — reorder the fields or give the layout another line.
 */
export function defineLayout<
  const L extends readonly Fields[],
  const A extends Record<string, Fields> = Record<never, Fields>,
>(spec: LayoutSpec<L, A>): Layout<L, A> {
  const { name, lineBytes, lines } = spec;
  if (lineBytes <= 0 || lineBytes % 8 !== 0)
    throw new Error(`layout ${name}: lineBytes ${lineBytes} is not a positive multiple of 8`);
  const places: FieldPlace[] = [];
  const place = (fields: Fields, alternative: string, line: number, from: number): void => {
    let byte = from;
    for (const [field, type] of Object.entries(fields)) {
      const size = SIZE[type];
      if (byte % size !== 0)
        throw new Error(
          `layout ${name}: ${field} (${type}) at byte ${byte} is not aligned to ${size}: reorder the fields`,
        );
      if (byte + size > (line + 1) * lineBytes)
        throw new Error(`layout ${name}: ${field} (${type}) at byte ${byte} crosses the end of line ${line}`);
      if (places.some((p) => p.name === field && (p.alternative === '' || p.alternative === alternative)))
        throw new Error(`layout ${name}: ${field} is declared twice`);
      places.push({ name: field, type, alternative, line, byte, size });
      byte += size;
    }
  };
  lines.forEach((fields, line) => {
    place(fields, '', line, line * lineBytes);
  });
  const last = lines.length - 1;
  const lastOwn = places.filter((p) => p.line === last);
  const unionFrom = lastOwn.length > 0 ? Math.max(...lastOwn.map((p) => p.byte + p.size)) : last * lineBytes;
  for (const [alternative, fields] of Object.entries(spec.alternatives ?? {}))
    place(fields, alternative, last, unionFrom);
  const offsets = (alternative: string, type: FieldType) =>
    Object.fromEntries(
      places
        .filter((p) => p.alternative === alternative && p.type === type)
        .map((p) => [p.name, p.byte / p.size]),
    );
  const alternatives = Object.fromEntries(
    Object.keys(spec.alternatives ?? {}).map((a) => [a, { f64: offsets(a, 'f64'), i32: offsets(a, 'i32') }]),
  );
  const bytes = lines.length * lineBytes;
  return {
    name,
    lineBytes,
    bytes,
    f64Stride: bytes / 8,
    i32Stride: bytes / 4,
    f64: offsets('', 'f64'),
    i32: offsets('', 'i32'),
    alternatives,
    places,
  } as unknown as Layout<L, A>;
}

/**
 * Every problem with a layout's places: two fields that share bytes and are not of two
 * different alternatives, a field outside the record or across its line's end, or a
 * misaligned one. Empty when the layout is sound.
 */
export function fieldOverlaps(layout: {
  name: string;
  bytes: number;
  lineBytes: number;
  places: readonly FieldPlace[];
}): string[] {
  const problems: string[] = [];
  const { places } = layout;
  for (const p of places) {
    const label = p.alternative ? `${p.alternative}.${p.name}` : p.name;
    if (p.byte < 0 || p.byte + p.size > layout.bytes)
      problems.push(`${layout.name}: ${label} lies outside the record`);
    if (p.byte < p.line * layout.lineBytes || p.byte + p.size > (p.line + 1) * layout.lineBytes)
      problems.push(`${layout.name}: ${label} is not within line ${p.line}`);
    if (p.byte % p.size !== 0) problems.push(`${layout.name}: ${label} is misaligned`);
  }
  for (let a = 0; a < places.length; a++)
    for (let b = a + 1; b < places.length; b++) {
      const p = places[a] as FieldPlace;
      const q = places[b] as FieldPlace;
      const shareBytes = p.byte < q.byte + q.size && q.byte < p.byte + p.size;
      const alternatives = p.alternative !== '' && q.alternative !== '' && p.alternative !== q.alternative;
      if (shareBytes && !alternatives)
        problems.push(
          `${layout.name}: ${p.alternative || 'own'}.${p.name} and ${q.alternative || 'own'}.${q.name} overlap`,
        );
    }
  return problems;
}
